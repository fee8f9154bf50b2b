import fs from 'node:fs';
import { afterEach } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { startRelay, type Relay } from '../server/relay.js';
import { testBackendFor } from '../bench/postgres.js';
import type { z } from 'zod';
import { RelayConfig } from '../server/config.js';
import type Database from 'better-sqlite3-multiple-ciphers';
import { WarblerClient } from '../core/client.js';
import { ClientService } from '../core/service.js';
import type { IpcEventMessage } from '../shared/ipc-transport.js';
import { HISTORY_FILE, readProfile, type Profile } from '../core/profile.js';
import { registerSearchTerms } from '../core/search/terms.js';
import { openEncrypted } from '../core/vault/cipher.js';
import { historyKey, type KeySource } from '../core/vault/vault.js';
import type { ChatMessage } from '../shared/ipc.js';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH } from '../shared/protocol.js';

export function tempDir(prefix = 'warbler-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Deterministic bytes that differ from chunk to chunk (a misplaced or repeated chunk shows). */
export function patternedBytes(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export async function testRelay(
  data: string,
  port = 0,
  options: { now?: () => number; queueTtl?: string; config?: Partial<z.input<typeof RelayConfig>>; logger?: Logger } = {},
): Promise<Relay> {
  // Tests register many accounts from one address (a group of 256) and send thousands of messages
  // as fast as they can: those budgets are raised unless a test is about them.
  const config = RelayConfig.parse({
    port,
    host: '127.0.0.1',
    data,
    logLevel: 'silent',
    queueTtlMs: options.queueTtl,
    registrationsPerHour: 1_000_000,
    sendsPerSecond: 1_000_000,
    sendsPerDay: 1_000_000_000,
    ephemeralPerSecond: 1_000_000,
    // WARBLER_TEST_BACKEND=postgres: the same tests on PostgreSQL and Redis.
    ...(await testBackendFor(data)),
    ...options.config,
  });
  return startRelay({ config, ...(options.now ? { now: options.now } : {}), ...(options.logger ? { logger: options.logger } : {}) });
}

export const httpUrl = (relay: Pick<Relay, 'url'>): string => relay.url.replace(/^ws:/, 'http:');

/** A push published to a topic, as a script would with curl; resolves to the relay's JSON answer. */
export async function publishPush(base: string, topic: string, body: string, headers: Record<string, string> = {}): Promise<{ id: string }> {
  const response = await fetch(`${base}/${topic}`, { method: 'POST', headers, body });
  if (response.status !== 200) throw new Error(`publishing to ${topic}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

/** Polls until check() returns a value other than undefined/false, or fails after timeoutMs. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Awaited: a check that asks something (an IPC call) answers with a promise, which is no answer yet.
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A registered, connected client whose received messages are collected. */
export async function onlineClient(
  dir: string,
  relay: Pick<Relay, 'url'>,
  username: string,
): Promise<{ client: WarblerClient; received: ChatMessage[] }> {
  const client = fs.existsSync(path.join(dir, 'profile.json'))
    ? await WarblerClient.open(dir, { serverUrl: httpUrl(relay) })
    : await WarblerClient.register(dir, httpUrl(relay), username);
  const received: ChatMessage[] = [];
  client.on('received', (m) => received.push(m));
  client.start();
  await client.waitOnline(10_000);
  return { client, received };
}

/**
 * A profile's history database, opened beside its running client with the profile's key file, as
 * someone with the disk and the key would: for a test that reads (or breaks) what the client keeps.
 */
export async function withHistoryFile<T>(profileDir: string, use: (db: Database.Database) => T): Promise<T> {
  const db = openEncrypted(path.join(profileDir, HISTORY_FILE), await historyKey(profileDir, { kind: 'key-file' }));
  registerSearchTerms(db); // a message written here goes into the search index, as the client's would
  try {
    return use(db);
  } finally {
    db.close();
  }
}

/**
 * The profile a client opened, its secret keys open, read from its folder with its key as someone
 * with the disk and the key would: for a test that looks for those keys where they must not be.
 */
export async function profileOf(client: WarblerClient, keys: KeySource = { kind: 'key-file' }): Promise<Profile> {
  const profile = readProfile(client.profileDir, await historyKey(client.profileDir, keys));
  if (!profile) throw new Error(`no profile in ${client.profileDir}`);
  return profile;
}

export type Cleanups = (() => unknown)[];

/** What a test started, stopped after it in reverse order. Call once at the top of a test file. */
export function useCleanups(): Cleanups {
  const list: Cleanups = [];
  afterEach(async () => {
    for (const fn of list.splice(0).reverse()) await fn();
  });
  return list;
}

/**
 * A client service (what the app's page talks to) on a new profile in `dir`, registered as
 * `username` on the relay and online; the events it sends the page are collected. Closed after the test.
 */
export async function onlineService(cleanups: Cleanups, dir: string, serverUrl: string, username: string): Promise<{ s: ClientService; events: IpcEventMessage[] }> {
  const s = new ClientService({ profileDir: path.join(dir, username), defaultServerUrl: serverUrl });
  cleanups.push(() => s.close());
  const events: IpcEventMessage[] = [];
  s.on('event', (e) => events.push(e));
  await s.start();
  await s.call('account:register', { serverUrl, username });
  await waitFor(() => s.current?.connectionState === 'online', 10_000, `${username} online`);
  return { s, events };
}

/**
 * Something at a relay's address that is not a Warbler relay: `greet` is what it says to each
 * connection. Its URL, and how many times a client connected; closed after the test.
 */
export async function fakeRelay(cleanups: Cleanups, greet: (ws: WebSocket) => void): Promise<{ url: string; connections: () => number }> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: WS_PATH });
  cleanups.push(() => new Promise((r) => wss.close(r)));
  await new Promise((r) => wss.once('listening', r));
  let connections = 0;
  wss.on('connection', (ws) => {
    connections += 1;
    greet(ws);
  });
  return { url: `http://127.0.0.1:${(wss.address() as { port: number }).port}`, connections: () => connections };
}

/** A relay with its database under dir, closed after the test. */
export async function relayIn(dir: string, cleanups: Cleanups, port = 0): Promise<Relay> {
  const relay = await testRelay(path.join(dir, 'relay'), port);
  cleanups.push(() => relay.close());
  return relay;
}

/** Every file under a folder (a relay's data folder holds blobs/ too), read whole: what "nothing readable is stored" greps. */
export function filesUnder(dir: string): Buffer[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name)));
}
