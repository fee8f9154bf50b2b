// The relay: HTTP and WebSocket on one port.
import path from 'node:path';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import pino, { type Logger } from 'pino';
import { CloseCode, MAX_SOCKET_PAYLOAD, WS_PATH } from '../shared/protocol.js';
import { generateIdentity, loadSodium } from '../shared/crypto.js';
import { installNativeSignatures } from './native-signatures.js';
import { hostHeaderOrigin, loginOrigin } from '../shared/urls.js';
import { relayKeyFingerprint } from '../shared/relay-key.js';
import { PushSigner } from './push/signer.js';
import type { RelayConfig } from './config.js';
import { openRelayStores } from './storage/open-stores.js';
import type { RelayStores } from './storage/relay-stores.js';
import { SessionRegistry } from './registry.js';
import { Session } from './session/session.js';
import type { SessionDeps } from './session/context.js';
import { TickCork } from './session/tick-cork.js';
import type { Corkable } from './push/batch.js';
import { localBudgets, type Budgets } from './budgets.js';
import { PresenceHub } from './presence.js';
import { LinkRegistry } from './links.js';
import { PushHub } from './push/hub.js';
import { registerPushRoutes } from './push/routes.js';
import { PushAttachments } from './push/attachments.js';
import { answerFailure, answerNotFound } from './push/http-error.js';
import { Visitors } from './push/visitors.js';
import { AccessControl } from './push/access.js';
import { PasswordPool } from './push/password-pool.js';
import { SignatureChecks } from './signature-checks.js';
import { startMqttIngress, type MqttIngress } from './push/mqtt.js';
import { openBlobs, pruneBlobs } from './blobs/blobs.js';
import { registerBlobRoutes } from './blobs/routes.js';
import { connectRedis, type RedisLink } from './cluster/redis.js';
import { clusterBudgets } from './cluster/budgets.js';
import { RedisPushFleet } from './cluster/push-fleet.js';
import { claimRound } from './cluster/jobs.js';
import { registerHealth } from './health.js';
import { registerUsernameCheck } from './usernames.js';
import { UpgradeRequests } from './upgrades.js';
import { CachedAccountStore } from './cluster/account-cache.js';
import { Fleet } from './cluster/fleet.js';

/** A connection that has not answered a ping within this long is dropped. */
const HEARTBEAT_MS = 30_000;
/** Time for a request's headers to arrive in full. */
const HEADERS_TIMEOUT_MS = 10_000;
/** Time for a whole request, body included (not the answer: streams stay open). */
const REQUEST_TIMEOUT_MS = 10 * 60_000;
/** How long a message id is remembered to make a retried send idempotent. */
const SENT_IDS_KEPT_MS = 30 * 24 * 3600_000;
/** How often what expired is pruned (by one node of a relay of several). */
const PRUNE_INTERVAL_MS = 3600_000;

export interface Relay {
  /** ws://host:port of the listening relay. */
  readonly url: string;
  readonly port: number;
  readonly log: Logger;
  /** This node's id among the relay's nodes (in logs, and on the bus). */
  readonly node: string;
  close(): Promise<void>;
}

export interface RelayOptions {
  config: RelayConfig;
  logger?: Logger;
  /** What the relay keeps; by default SQLite in the config's data folder. */
  stores?: RelayStores;
  now?: () => number;
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  await loadSodium();
  const { config } = options;
  const log = options.logger ?? pino({ level: config.logLevel, name: 'warbler-relay' });
  if (!installNativeSignatures()) log.warn('sodium-native did not load: login signatures are checked in WebAssembly, at half the speed');
  const node = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  // Several nodes share Redis: what crosses nodes goes over its bus, and budgets count there.
  const cluster: RedisLink | undefined = config.redis ? await connectRedis(config.redis, node, config.database ?? config.data, log) : undefined;
  let stores: RelayStores;
  try {
    stores = options.stores ?? (await openRelayStores(config));
  } catch (err) {
    await cluster?.close();
    throw err;
  }
  // On a shared database, each node keeps the accounts it reads (see CachedAccountStore).
  const accountCache = cluster && config.database ? new CachedAccountStore(stores.accounts, cluster.bus) : undefined;
  if (accountCache) stores = { ...stores, accounts: accountCache };
  const fleet = cluster ? new Fleet(cluster, log) : undefined;
  const registry = fleet?.registry ?? new SessionRegistry();
  const now = options.now ?? Date.now;
  const presence = new PresenceHub({ store: stores.presence, registry, now, log, ...(fleet ? { states: fleet.presence } : {}) });
  const links = fleet?.links ?? new LinkRegistry();
  const budgets: Budgets & { stop?: () => void } = cluster ? clusterBudgets(config, cluster, log) : localBudgets(config);
  const pushHub = new PushHub({
    cache: stores.pushCache,
    log,
    now,
    cacheMs: config.cacheMs,
    ...(cluster ? { fleet: new RedisPushFleet(cluster, log) } : {}),
  });
  const corks = new TickCork();
  const signer = new PushSigner(await stores.relayIdentity.loadOrCreate(generateIdentity));
  log.info({ fingerprint: relayKeyFingerprint(signer.publicKey) }, 'relay signing key fingerprint');
  const blobs = await openBlobs(config, stores, now);
  const sockets = new Set<WebSocket>();
  const alive = new WeakSet<WebSocket>();

  const app = Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    // On close, every connection goes (streams, keep-alives): a shutdown does not wait on clients.
    forceCloseConnections: true,
    // A socket that sends no complete request (silent, or headers a byte at a time) is closed
    // within seconds instead of holding one of the process's file descriptors for good. Checked
    // every 2 s. A request's body may take longer: an upload's 16 MB chunk on a slow line.
    http: { headersTimeout: HEADERS_TIMEOUT_MS, connectionsCheckingInterval: 2_000 },
    requestTimeout: REQUEST_TIMEOUT_MS,
    // A subscription names its topics in one path parameter ("a,b,c/json"): room for many of 64.
    routerOptions: { maxParamLength: 4096 },
    // Each client's address (what per-address budgets count) comes from X-Forwarded-For only behind
    // a proxy, and only as the listed proxies set it: anyone else could name any address there.
    trustProxy: config.behindProxy ? config.trustedProxies : false,
    // Refused before routing (an escape that is not UTF-8, a parameter too long): answered as the
    // push API answers. No hook runs for such a request, so a refused WebSocket upgrade's socket,
    // which nothing else would close, is closed once the answer is out.
    frameworkErrors: (err, request, reply) => {
      if (request.headers.upgrade) reply.raw.once('finish', () => request.raw.socket.destroy());
      answerFailure(err, request, reply);
    },
  });
  await app.register(websocket, { options: { maxPayload: MAX_SOCKET_PAYLOAD } });
  const upgrades = new UpgradeRequests();
  // The HTTP side answers every refusal and failure in the push API's JSON (ntfy's shape).
  app.setNotFoundHandler(answerNotFound);
  app.setErrorHandler(answerFailure);

  await app.register(async (scope) => registerHealth(scope, {
      connected: () => registry.size,
      needs: {
        ...(stores.reachable ? { database: () => stores.reachable!() } : {}),
        ...(cluster ? { redis: () => cluster.up } : {}),
      },
    }));
  const visitors = new Visitors(budgets, now);
  const passwords = new PasswordPool();
  const signatures = new SignatureChecks();
  const access = new AccessControl(stores.pushUsers, config.authDefaultAccess, now, (hash, password) => passwords.verify(hash, password));
  const pushAttachments = new PushAttachments(
    path.join(config.data, 'push-attachments'),
    { fileBytes: config.pushAttachmentMaxBytes, totalBytes: config.pushAttachmentTotalBytes, expiryMs: config.pushAttachmentExpiryMs },
    stores.pushAttachments,
    log,
    now,
  );
  await app.register(async (scope) =>
    registerPushRoutes(scope, {
      hub: pushHub,
      access,
      cache: stores.pushCache,
      visitors,
      attachments: pushAttachments,
      upgrades,
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      now,
    }),
  );
  await app.register(async (scope) => registerBlobRoutes(scope, { blobs, accounts: stores.accounts }));
  await app.register(async (scope) => registerUsernameCheck(scope, { accounts: stores.accounts, visitors }));
  // The origin device logins are bound to: where clients reach this relay.
  const pinnedOrigin = config.baseUrl ? loginOrigin(config.baseUrl) : undefined;
  // One for every session, and no closure per socket: an idle connection's memory is counted in bytes.
  const sessionDeps: SessionDeps = {
    stores,
    registry,
    presence,
    links,
    budgets,
    queueLimits: { messages: config.queueMessages, bytes: config.queueBytes },
    push: { hub: pushHub, signer, access, visitors },
    blobs,
    corks,
    signatures,
    log,
    now,
    queueTtlMs: config.queueTtlMs,
  };
  function answered(this: WebSocket): void {
    alive.add(this);
  }
  function gone(this: WebSocket): void {
    sockets.delete(this);
  }
  // The upgrade's response and the challenge that follows it leave in one system call, not two.
  const holdUpgrade = (request: { raw: { socket: Corkable } }, _reply: unknown, done: () => void): void => {
    corks.hold(request.raw.socket);
    done();
  };
  app.get(WS_PATH, { websocket: true, onRequest: [upgrades.note, holdUpgrade] }, (socket, request) => {
    const address = request.ip;
    // The Host header is whatever a reverse proxy forwards, and a client may send any: --base-url pins it.
    const origin = pinnedOrigin ?? hostHeaderOrigin(request.headers.host, request.protocol === 'https');
    const raw = request.raw.socket;
    upgrades.release(socket, request);
    sockets.add(socket);
    alive.add(socket);
    socket.on('pong', answered);
    socket.on('close', gone);
    new Session(socket, sessionDeps, raw, address, origin);
  });

  const heartbeat = setInterval(() => {
    for (const socket of sockets) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  // Expired envelopes of devices that never come back would otherwise stay forever.
  const prune = async () => {
    // One node of several prunes per round; without Redis to agree on which, none does this round.
    if (cluster && !(await claimRound(cluster, 'prune', PRUNE_INTERVAL_MS, now()).catch(() => false))) {
      log.debug({ node }, 'another node prunes this round');
      return;
    }
    log.info({ node }, 'pruning what expired');
    try {
      const expired = await stores.queues.expire(now() - config.queueTtlMs);
      if (expired > 0) log.info({ expired }, 'queued messages expired');
      await stores.queues.pruneSent(now() - Math.max(SENT_IDS_KEPT_MS, config.queueTtlMs));
      await stores.pushCache.expirePushes(Math.floor(now() / 1000));
      await pushAttachments.expire(now());
    } catch (err) {
      log.warn({ err }, 'could not prune the queues');
    }
    await pruneBlobs(blobs, log);
  };
  void prune();
  const pruning = setInterval(() => void prune(), PRUNE_INTERVAL_MS);
  pruning.unref();

  let mqtt: MqttIngress | undefined;
  try {
    await accountCache?.ready();
    await fleet?.start(presence);
    await pushHub.start();
    if (config.mqttUrl && config.mqttTopics) {
      mqtt = await startMqttIngress({ url: config.mqttUrl, mappings: config.mqttTopics, hub: pushHub, log });
    }
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    clearInterval(heartbeat);
    clearInterval(pruning);
    pushHub.stop();
    budgets.stop?.();
    await mqtt?.close();
    await passwords.close();
    await signatures.close();
    await stores.close();
    await fleet?.leave();
    await cluster?.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `ws://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  log.info({ url, data: config.data }, 'relay listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    log,
    node,
    close() {
      closing ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(pruning);
        await fleet?.leave();
        presence.stop();
        pushHub.stop();
        budgets.stop?.();
        for (const socket of sockets) socket.close(CloseCode.goingAway, 'relay shutting down');
        corks.close();
        await app.close();
        await mqtt?.close();
        await passwords.close();
        await signatures.close();
        await stores.close();
        await cluster?.close();
        log.info('relay stopped');
      })();
      return closing;
    },
  };
}
