// One WebSocket connection: challenge login, then requests and the device's queue.
import type { WebSocket, RawData } from 'ws';
import type { Logger } from 'pino';
import {
  ClientFrame,
  MAX_FRAME_BYTES,
  ONE_TIME_PREKEYS_LOW,
  PROTOCOL_VERSION,
  REMOVED_CLOSE_CODE,
  REPLACED_CLOSE_CODE,
  describeZodError,
  type AccountDevices,
  type ErrorCode,
  type PreKeyUpload,
  type ResultData,
} from '../shared/protocol.js';
import { authPayload, randomBytes, toB64, verify, verifyCertificate, verifySignedPreKey } from '../shared/crypto.js';
import type { RelayStorage, StoredEnvelope } from './storage/storage.js';
import type { DeviceSession, SessionRegistry } from './registry.js';
import type { PresenceHub } from './presence.js';
import type { LinkRegistry } from './links.js';
import type { WindowLimiter } from './limits.js';
import type { PushHub } from './push/hub.js';
import type { PushSigner } from './push/signer.js';
import { AccessError, type AccessControl } from './push/access.js';
import { OutgoingPush } from './push/outgoing.js';
import type { Corkable } from './push/batch.js';

/** Cached pushes sent to a session that (re)subscribes, per topic at most. */
const PUSH_CATCH_UP = 1000;

const PAGE = 500;
/** A connection that has not logged in by then is closed: idle anonymous sockets cost descriptors. */
export const LOGIN_DEADLINE_MS = 10_000;
/** A device waiting to be linked keeps its socket open this long. */
const LINK_WAIT_MS = 10 * 60_000;
/** Wrong link codes a session may try before it is closed (codes are 8 digits). */
const MAX_LINK_FAILURES = 5;
/** Prekey bundles one account may fetch per window: enough for a big group, too few to drain everyone's one-time prekeys. */
export const BUNDLES_PER_WINDOW = 2000;
export const BUNDLE_WINDOW_MS = 10 * 60_000;

export interface SessionDeps {
  storage: RelayStorage;
  /** Queued envelopes older than this expire. */
  queueTtlMs: number;
  registry: SessionRegistry;
  presence: PresenceHub;
  links: LinkRegistry;
  /** Prekey bundles handed out per account. */
  bundleLimits: WindowLimiter;
  push: { hub: PushHub; signer: PushSigner; access: AccessControl };
  log: Logger;
  now: () => number;
}

class RequestError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Frame<T extends ClientFrame['type']> = Extract<ClientFrame, { type: T }>;

export class Session implements DeviceSession {
  private readonly nonce = toB64(randomBytes(32));
  private identity: { device: string; username: string } | undefined;
  /** Frames are handled one at a time, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private lastSentSeq = 0;
  private pumping = false;
  private pumpAgain = false;
  private drainedSent = false;
  private closed = false;
  private linkWaiting: string | undefined;
  private linkFailures = 0;
  /** Push topics this session follows, and how to stop following each. */
  private readonly pushTopics = new Map<string, () => void>();

  /** output: the connection under the socket, held while a burst of frames is written to it. */
  constructor(
    private readonly socket: WebSocket,
    private readonly deps: SessionDeps,
    private readonly output: Corkable,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', () => this.onClose());
    const deadline = setTimeout(() => {
      if (!this.identity && !this.linkWaiting) socket.close(4008, 'log in within 10 seconds');
    }, LOGIN_DEADLINE_MS);
    socket.once('close', () => clearTimeout(deadline));
    socket.on('error', (err) => deps.log.debug({ err }, 'socket error'));
    this.send({ type: 'challenge', protocol: PROTOCOL_VERSION, nonce: this.nonce, serverTime: deps.now(), relayKey: deps.push.signer.publicKey });
  }

  get device(): string {
    return this.identity?.device ?? '';
  }

  get username(): string {
    return this.identity?.username ?? '';
  }

  push(frame: object): void {
    this.send(frame);
  }

  wake(): void {
    void this.pump();
  }

  replace(): void {
    this.socket.close(REPLACED_CLOSE_CODE, 'replaced by a newer connection of this device');
  }

  removed(): void {
    this.socket.close(REMOVED_CLOSE_CODE, 'this device was removed from its account');
  }

  private onClose(): void {
    this.closed = true;
    for (const stop of this.pushTopics.values()) stop();
    this.pushTopics.clear();
    if (this.linkWaiting) this.deps.links.cancel(this.linkWaiting);
    if (!this.identity) return;
    const wasLast = this.deps.registry.detach(this);
    void this.deps.presence.disconnected(this, wasLast);
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data.byteLength;
    if (isBinary) return this.sendError(null, 'bad_frame', 'frames are JSON text');
    if (size > MAX_FRAME_BYTES) {
      return this.sendError(null, 'frame_too_large', `a frame may be at most ${MAX_FRAME_BYTES} bytes`);
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      return this.sendError(null, 'bad_json', 'the frame is not valid JSON');
    }
    const parsed = ClientFrame.safeParse(json);
    if (!parsed.success) {
      const id = typeof (json as { id?: unknown } | null)?.id === 'string' ? (json as { id: string }).id.slice(0, 64) : null;
      return this.sendError(id, 'bad_frame', describeZodError(parsed.error));
    }
    const frame = parsed.data;
    this.queue = this.queue.then(() => this.handle(frame));
  }

  private async handle(frame: ClientFrame): Promise<void> {
    try {
      const wasReady = this.identity !== undefined;
      const data = await this.dispatch(frame);
      this.send({ type: 'result', id: frame.id, data });
      // The client sees its login result before the backlog starts.
      if (!wasReady && this.identity) void this.pump();
    } catch (err) {
      if (err instanceof RequestError) {
        this.sendError(frame.id, err.code, err.message, err.extra);
      } else {
        this.deps.log.error({ err, frame: frame.type }, 'request failed');
        this.sendError(frame.id, 'internal', 'the relay could not handle this request');
      }
    }
  }

  private dispatch(frame: ClientFrame): Promise<ResultData[ClientFrame['type']]> {
    switch (frame.type) {
      case 'register':
        return this.register(frame);
      case 'auth':
        return this.auth(frame);
      case 'devices':
        return this.devices(frame);
      case 'send':
        return this.sendMessage(frame);
      case 'ack':
        return this.ack(frame);
      case 'ping':
        return Promise.resolve({ serverTime: this.deps.now() });
      case 'presence':
        return this.setPresence(frame);
      case 'link-request':
        return this.linkRequest(frame);
      case 'link-lookup':
        return this.linkLookup(frame);
      case 'link-approve':
        return this.linkApprove(frame);
      case 'prekeys':
        return this.preKeys(frame);
      case 'bundles':
        return this.bundles(frame);
      case 'device-remove':
        return this.removeDevice(frame);
      case 'push-subscribe':
        return this.pushSubscribe(frame);
      case 'push-unsubscribe':
        return this.pushUnsubscribe(frame);
    }
  }

  private checkSignature(identityKey: string, signature: string): void {
    if (this.identity) throw new RequestError('already_authenticated', 'this connection is already logged in');
    if (!verify(authPayload(this.nonce, identityKey), signature, identityKey)) {
      throw new RequestError('bad_signature', 'the signature does not match this connection’s challenge');
    }
  }

  /** A signed prekey must be signed by the device it belongs to. */
  private checkPreKeys(device: string, upload: PreKeyUpload): void {
    if (upload.signedPreKey && !verifySignedPreKey(device, upload.signedPreKey)) {
      throw new RequestError('bad_prekey', 'the signed prekey is not signed by this device');
    }
  }

  private async register(frame: Frame<'register'>): Promise<ResultData['register']> {
    this.checkSignature(frame.identityKey, frame.signature);
    if (!verifyCertificate(frame.identityKey, frame.certificate, frame.accountKey)) {
      throw new RequestError('bad_certificate', 'the device certificate is not signed by the account key');
    }
    this.checkPreKeys(frame.identityKey, frame.preKeys);
    const result = await this.deps.storage.registerAccount(
      frame.username,
      frame.accountKey,
      { identityKey: frame.identityKey, certificate: frame.certificate, preKeys: frame.preKeys },
      this.deps.now(),
    );
    if (!result.ok) {
      throw result.reason === 'username_taken'
        ? new RequestError('username_taken', `the username "${frame.username}" is taken`)
        : new RequestError('device_exists', 'this device key is already registered');
    }
    this.becomeReady(frame.identityKey, frame.username);
    void this.deps.presence.connected(this, false);
    return { username: frame.username, identityKey: frame.identityKey };
  }

  private async auth(frame: Frame<'auth'>): Promise<ResultData['auth']> {
    const device = await this.deps.storage.deviceByKey(frame.identityKey);
    if (!device) throw new RequestError('unknown_device', 'no account has this device key');
    this.checkSignature(frame.identityKey, frame.signature);
    const { storage, now, queueTtlMs } = this.deps;
    await storage.expire(now() - queueTtlMs, device.identityKey);
    const expired = await storage.takeExpired(device.identityKey);
    const oneTimePreKeys = await storage.preKeyCount(device.identityKey);
    this.becomeReady(device.identityKey, device.username);
    void this.deps.presence.connected(this, frame.hidden ?? false);
    return { username: device.username, identityKey: device.identityKey, expired, oneTimePreKeys };
  }

  private becomeReady(device: string, username: string): void {
    this.identity = { device, username };
    this.deps.log.debug({ username }, 'device logged in');
    this.deps.registry.attach(this);
  }

  private requireIdentity(): { device: string; username: string } {
    if (!this.identity) throw new RequestError('unauthenticated', 'log in first (register or auth)');
    return this.identity;
  }

  private async accountOf(username: string): Promise<AccountDevices> {
    const account = await this.deps.storage.account(username);
    if (!account || account.devices.length === 0) throw new RequestError('unknown_recipient', `no user is called "${username}"`);
    return account;
  }

  private async devices(frame: Frame<'devices'>): Promise<ResultData['devices']> {
    this.requireIdentity();
    return { username: frame.username, ...(await this.accountOf(frame.username)) };
  }

  private async sendMessage(frame: Frame<'send'>): Promise<ResultData['send']> {
    const me = this.requireIdentity();
    const { storage, registry, now } = this.deps;
    const recipients = [...new Set(frame.recipients)];
    const accounts: Record<string, AccountDevices> = {};
    for (const username of new Set([...recipients, me.username])) {
      const account = await this.accountOf(username);
      accounts[username] = { ...account, devices: account.devices.filter((d) => d.key !== me.device) };
    }
    const expected = new Set(Object.values(accounts).flatMap((a) => a.devices.map((d) => d.key)));
    const given = new Set(frame.envelopes.map((e) => e.device));
    const distinct = given.size === frame.envelopes.length;
    const exact = frame.partial
      ? distinct && given.size > 0 && [...given].every((d) => expected.has(d))
      : distinct && given.size === expected.size && [...given].every((d) => expected.has(d));
    if (!exact) {
      throw new RequestError('device_mismatch', 'the message must be sealed for exactly the current devices', { accounts });
    }
    // A stored message is a ratchet message; only what is never stored may use the static box.
    if (frame.envelopes.some((e) => (e.sealed.kind === 'box') !== (frame.ephemeral === true))) {
      throw new RequestError('bad_frame', 'ephemeral frames are sealed as boxes, stored messages with the ratchet');
    }
    if (frame.ephemeral) {
      const from = { username: me.username, device: me.device };
      for (const e of frame.envelopes) {
        registry.session(e.device)?.push({ type: 'ephemeral', messageId: frame.messageId, from, sealed: e.sealed });
      }
      return { messageId: frame.messageId, serverTime: now(), duplicate: false };
    }
    const result = await storage.storeMessage({
      messageId: frame.messageId,
      fromUsername: me.username,
      fromDevice: me.device,
      serverTime: now(),
      copies: frame.envelopes.map((e) => ({ device: e.device, sealed: JSON.stringify(e.sealed) })),
    });
    if (result.stored) {
      registry.wake(result.devices);
      // Stored: what follows is bookkeeping and must not turn a stored message into an error.
      try {
        const known = new Set(await storage.audienceOf(me.username));
        const firstTime = recipients.filter((r) => r !== me.username && !known.has(r));
        if (firstTime.length > 0) {
          await storage.addContacts(me.username, firstTime);
          await this.deps.presence.introduced(me.username, firstTime);
        }
      } catch (err) {
        this.deps.log.warn({ err }, 'could not record who wrote to whom');
      }
    }
    return { messageId: frame.messageId, serverTime: result.serverTime, duplicate: !result.stored };
  }

  private async setPresence(frame: Frame<'presence'>): Promise<ResultData['presence']> {
    this.requireIdentity();
    await this.deps.presence.changed(this, frame.state, frame.hidden);
    return {};
  }

  private async linkRequest(frame: Frame<'link-request'>): Promise<ResultData['link-request']> {
    this.checkSignature(frame.identityKey, frame.signature);
    this.checkPreKeys(frame.identityKey, frame.preKeys);
    if (await this.deps.storage.deviceByKey(frame.identityKey)) {
      throw new RequestError('device_exists', 'this device key is already registered');
    }
    if (this.linkWaiting) this.deps.links.cancel(this.linkWaiting);
    this.linkWaiting = frame.identityKey;
    const link = this.deps.links.create(
      {
        identityKey: frame.identityKey,
        preKeys: frame.preKeys,
        proof: frame.proof,
        notify: (linked) => {
          this.linkWaiting = undefined;
          this.send({ type: 'linked', ...linked });
        },
      },
      this.deps.now(),
    );
    setTimeout(() => {
      if (this.linkWaiting === frame.identityKey) this.socket.close(4008, 'the link code expired');
    }, LINK_WAIT_MS).unref();
    return link;
  }

  /** The waiting link behind a code a person typed; wrong codes count towards the limits. */
  private pendingLink(linkId: string, username: string, take: boolean) {
    const { links, now } = this.deps;
    if (this.linkFailures >= MAX_LINK_FAILURES || links.blocked(username, now())) {
      throw new RequestError('rate_limited', 'too many wrong link codes: wait a few minutes');
    }
    const link = take ? links.take(linkId, now()) : links.peek(linkId, now());
    if (!link) {
      this.linkFailures += 1;
      links.failed(username, now());
      throw new RequestError('unknown_link', 'no device is waiting with this code (it may have expired)');
    }
    return link;
  }

  private async linkLookup(frame: Frame<'link-lookup'>): Promise<ResultData['link-lookup']> {
    const me = this.requireIdentity();
    const link = this.pendingLink(frame.linkId, me.username, false);
    return { identityKey: link.identityKey, proof: link.proof };
  }

  private async linkApprove(frame: Frame<'link-approve'>): Promise<ResultData['link-approve']> {
    const me = this.requireIdentity();
    const account = await this.accountOf(me.username);
    const waiting = this.pendingLink(frame.linkId, me.username, false);
    if (!verifyCertificate(waiting.identityKey, frame.certificate, account.accountKey)) {
      throw new RequestError('bad_certificate', 'the certificate is not this account’s for the waiting device');
    }
    const link = this.pendingLink(frame.linkId, me.username, true);
    const added = await this.deps.storage.addDevice(
      me.username,
      { identityKey: link.identityKey, certificate: frame.certificate, preKeys: link.preKeys },
      this.deps.now(),
    );
    if (!added.ok) throw new RequestError('device_exists', 'this device key is already registered');
    link.notify({ username: me.username, accountKey: account.accountKey, sealedAccount: frame.sealedAccount, confirmation: frame.confirmation });
    return { identityKey: link.identityKey };
  }

  private async preKeys(frame: Frame<'prekeys'>): Promise<ResultData['prekeys']> {
    const me = this.requireIdentity();
    this.checkPreKeys(me.device, frame);
    try {
      return { oneTimePreKeys: await this.deps.storage.storePreKeys(me.device, frame) };
    } catch (err) {
      if (err instanceof RangeError) throw new RequestError('bad_prekey', err.message);
      throw err;
    }
  }

  private async bundles(frame: Frame<'bundles'>): Promise<ResultData['bundles']> {
    const me = this.requireIdentity();
    if (!this.deps.bundleLimits.take(me.username, frame.devices.length, this.deps.now())) {
      throw new RequestError('rate_limited', 'too many prekey bundles asked for: wait a few minutes');
    }
    const { bundles, remaining } = await this.deps.storage.takeBundles(frame.username, frame.devices);
    for (const [device, left] of Object.entries(remaining)) {
      if (left < ONE_TIME_PREKEYS_LOW) this.deps.registry.session(device)?.push({ type: 'prekeys-low', remaining: left });
    }
    if (bundles.length === 0) throw new RequestError('no_prekeys', `none of these devices of "${frame.username}" has prekeys`);
    return { bundles };
  }

  private async removeDevice(frame: Frame<'device-remove'>): Promise<ResultData['device-remove']> {
    const me = this.requireIdentity();
    if (!(await this.deps.storage.removeDevice(me.username, frame.device))) {
      throw new RequestError('unknown_device', 'this account has no such device');
    }
    this.deps.registry.session(frame.device)?.removed();
    return {};
  }

  /**
   * Follows push topics over this session: what is cached after the app's last id first, then live
   * pushes, each signed by the relay. App sessions read as anyone would (the push API's rules).
   */
  private async pushSubscribe(frame: Frame<'push-subscribe'>): Promise<ResultData['push-subscribe']> {
    this.requireIdentity();
    const { hub, access } = this.deps.push;
    const topics = frame.topics.filter((t) => !this.pushTopics.has(t.topic));
    try {
      await access.authorize(null, topics.map((t) => t.topic), 'read');
    } catch (err) {
      if (err instanceof AccessError) throw new RequestError('forbidden', err.message);
      throw err;
    }
    const nowS = Math.floor(this.deps.now() / 1000);
    for (const { topic, after } of topics) {
      // Live pushes that arrive while the cache is read wait behind it: nothing lost, nothing twice.
      let backlog: OutgoingPush[] | null = [];
      const stop = hub.subscribe({
        topics: new Set([topic]),
        wants: () => true,
        output: this.output,
        deliver: (push) => (backlog ? backlog.push(push) : this.sendPush(push)),
      });
      this.pushTopics.set(topic, stop);
      const since = after === null ? { fromTime: 0 } : { afterId: after };
      const cached = await this.deps.storage.pushes([topic], since, nowS, PUSH_CATCH_UP);
      const sent = new Set(cached.map((m) => m.id));
      const waiting: OutgoingPush[] = backlog;
      backlog = null;
      // The catch-up leaves in as few writes as the socket allows, not one per push.
      this.output.cork();
      try {
        for (const m of cached) this.sendPush(new OutgoingPush(m));
        for (const push of waiting) if (!sent.has(push.message.id)) this.sendPush(push);
      } finally {
        this.output.uncork();
      }
    }
    return {};
  }

  private async pushUnsubscribe(frame: Frame<'push-unsubscribe'>): Promise<ResultData['push-unsubscribe']> {
    this.requireIdentity();
    for (const topic of frame.topics) {
      this.pushTopics.get(topic)?.();
      this.pushTopics.delete(topic);
    }
    return {};
  }

  private sendPush(push: OutgoingPush): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(push.as(this.deps.push.signer.frame), { binary: false });
  }

  private async ack(frame: Frame<'ack'>): Promise<ResultData['ack']> {
    const me = this.requireIdentity();
    const { removed, notify } = await this.deps.storage.ack(me.device, frame.seqs, this.deps.now());
    this.deps.registry.wake(notify);
    return { removed };
  }

  /** Sends whatever is queued for this device after the last envelope sent on this connection. */
  private async pump(): Promise<void> {
    if (!this.identity || this.closed) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      for (;;) {
        this.pumpAgain = false;
        const batch = await this.deps.storage.pending(this.identity.device, this.lastSentSeq, PAGE);
        for (const envelope of batch) this.send(toFrame(envelope));
        const last = batch.at(-1);
        if (last) this.lastSentSeq = last.seq;
        if (this.closed) return;
        if (batch.length < PAGE && !this.pumpAgain) break;
      }
      if (!this.drainedSent) {
        this.drainedSent = true;
        this.send({ type: 'drained' });
      }
    } catch (err) {
      this.deps.log.error({ err }, 'could not read the device queue');
    } finally {
      this.pumping = false;
    }
  }

  private send(frame: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private sendError(id: string | null, code: ErrorCode, message: string, extra: Record<string, unknown> = {}): void {
    this.send({ type: 'error', id, code, message, ...extra });
  }
}

function toFrame(e: StoredEnvelope): object {
  const from = { username: e.fromUsername, device: e.fromDevice };
  return e.kind === 'message'
    ? { type: 'envelope', kind: 'message', seq: e.seq, messageId: e.messageId, from, serverTime: e.serverTime, sealed: JSON.parse(e.sealed) as unknown }
    : { type: 'envelope', kind: 'delivered', seq: e.seq, messageId: e.messageId, from, serverTime: e.serverTime };
}
