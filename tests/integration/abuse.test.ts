// One abusive client against a relay with its default budgets (in its own process, as deployed),
// while two honest people chat beside: the attacker gets the documented error, the honest pair
// keeps exchanging messages within 2 s both ways, and the relay's memory stays bounded.
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, toB64 } from '../../shared/crypto.js';
import { MAX_FRAME_BYTES } from '../../shared/protocol.js';
import { RelayError } from '../../core/relay/error.js';
import { WarblerClient } from '../../core/client.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { startRelayProcess, type RelayProcess } from '../../bench/process.js';
import { onlineClient, tempDir, waitFor } from '../helpers.js';
import { RawSocket } from '../raw-socket.js';

/** The relay's own defaults for what these tests attack; bench/process.ts raises them otherwise. */
const DEFAULT_BUDGETS = ['--sends-per-second', '20', '--sends-per-day', '10000', '--ephemeral-per-second', '10'];
/**
 * What the relay process may grow to while attacked: it starts at about 130 MB, and replaying 20 MB
 * of cached pushes to a reader that stops takes it to about 270 MB alone and past 320 MB while the
 * rest of the suite runs beside it (its collector lags). Unbounded buffering of every attack here
 * would go far beyond.
 */
const RSS_BOUND_BYTES = 450 * 1024 * 1024;

interface Person {
  client: WarblerClient;
  received: ChatMessage[];
}

let dir: string;
let relay: RelayProcess;
let alice: Person;
let bob: Person;

beforeAll(async () => {
  dir = tempDir();
  // A small queue, so that filling it takes seconds at the default send rate; a push budget large
  // enough to fill topics' caches quickly.
  relay = await startRelayProcess(path.join(dir, 'relay'), undefined, [...DEFAULT_BUDGETS, '--queue-messages', '30', '--visitor-burst', '100000']);
  alice = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
  bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
  await chatBothWays('hello before anything');
}, 30_000);

afterAll(async () => {
  await alice.client.close();
  await bob.client.close();
  await relay.stop();
});

function relayRss(): number {
  const status = fs.readFileSync(`/proc/${relay.child.pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error('no VmRSS for the relay process');
  return Number(kb) * 1024;
}

let sent = 0;
/** A message from Alice to Bob and one back, each arriving within 2 s. */
async function chatBothWays(what: string): Promise<void> {
  for (const [from, to, name] of [
    [alice, bob, 'bob'],
    [bob, alice, 'alice'],
  ] as const) {
    const text = `${what} #${++sent}`;
    await from.client.send(name, text);
    await waitFor(() => to.received.some((m) => m.text === text), 2000, `"${text}" for ${name}`);
  }
}

/** Keeps chatting until `attack` settles; how many honest round trips made it. */
async function chatDuring(attack: Promise<unknown>, what: string): Promise<number> {
  let done = false;
  const finished = attack.finally(() => (done = true));
  let rounds = 0;
  while (!done) {
    await chatBothWays(what);
    rounds++;
  }
  await finished;
  return rounds;
}

async function attacker(name: string): Promise<{ raw: RawSocket; bobDevices: string[] }> {
  const raw = await RawSocket.open(relay.url);
  await raw.register(name);
  const reply = await raw.request({ type: 'devices', id: 'who', username: 'bob' });
  const devices = (reply.data as { devices: { key: string }[] }).devices.map((d) => d.key);
  return { raw, bobDevices: devices };
}

let frameNumber = 0;
/** A stored message to Bob's devices as a hostile client seals it: ciphertext that is garbage. */
function garbageTo(devices: string[], bodyBytes = 2048): Record<string, unknown> {
  const n = ++frameNumber;
  return {
    type: 'send',
    id: `flood-${n}`,
    messageId: toB64(randomBytes(16)),
    recipients: ['bob'],
    envelopes: devices.map((device) => ({ device, sealed: { kind: 'ratchet', body: toB64(randomBytes(bodyBytes)) } })),
  };
}

/** Sends `frame()` as fast as the socket takes them for `ms`, then waits for every answer. */
async function flood(raw: RawSocket, frame: () => Record<string, unknown>, ms: number): Promise<Record<string, unknown>[]> {
  const replies: Promise<Record<string, unknown>>[] = [];
  const until = Date.now() + ms;
  while (Date.now() < until) {
    for (let i = 0; i < 20; i++) replies.push(raw.request(frame()));
    await new Promise((r) => setTimeout(r, 10));
  }
  return Promise.all(replies.map((r) => r.catch(() => ({ type: 'none' }))));
}

const codes = (replies: Record<string, unknown>[]) => replies.map((r) => (r.type === 'result' ? 'result' : String(r.code ?? r.type)));

describe('an attacker against a relay with its default budgets', () => {
  it('sending as fast as it can is slowed to the send rate; the pair keeps chatting', async () => {
    const { raw, bobDevices } = await attacker('mallory');
    const started = Date.now();
    const attack = flood(raw, () => garbageTo(bobDevices), 3000);
    expect(await chatDuring(attack, 'during a send flood')).toBeGreaterThan(0);
    const seconds = (Date.now() - started) / 1000;
    const answered = codes(await attack);
    const stored = answered.filter((c) => c === 'result').length;
    expect(answered.filter((c) => c === 'rate_limited').length).toBeGreaterThan(stored);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(20 * Math.ceil(seconds + 1));
    expect(answered.every((c) => c === 'result' || c === 'rate_limited')).toBe(true);
    expect(relayRss()).toBeLessThan(RSS_BOUND_BYTES);
    raw.close();
  });

  it('a full queue refuses further messages with queue_full, keeps its oldest, and its owner is told', async () => {
    const { raw, bobDevices } = await attacker('trudy');
    await bob.client.close();
    // Paced under the send rate: the queue, not the rate, is what stops it.
    const answered: string[] = [];
    for (let second = 0; second < 3; second++) {
      const replies = await Promise.all(Array.from({ length: 15 }, () => raw.request(garbageTo(bobDevices))));
      answered.push(...codes(replies));
      await new Promise((r) => setTimeout(r, 1100));
    }
    // Bob's queue already held a receipt or two (not counted); 30 messages fill it.
    expect(answered.filter((c) => c === 'result')).toHaveLength(30);
    expect(answered.slice(30)).toEqual(Array(15).fill('queue_full'));
    const refusal = await raw.request(garbageTo(bobDevices));
    expect(refusal).toMatchObject({ type: 'error', code: 'queue_full', params: { username: 'bob' } });

    // Alice's message is refused as well, with the reason she can act on.
    const failure = await alice.client.send('bob', 'are you there?').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(RelayError);
    expect((failure as RelayError).code).toBe('queue_full');

    // Bob comes back: he is told how many could not reach him, and gets the oldest 30.
    const refused: number[] = [];
    let drained = false;
    const { client } = await onlineClientWith(path.join(dir, 'bob'), (c) => {
      c.on('refused', (n) => refused.push(n));
      c.on('drained', () => (drained = true));
      c.on('received', (m) => bob.received.push(m));
    });
    bob = { client, received: bob.received };
    await waitFor(() => drained, 5000, 'the backlog');
    expect(refused).toEqual([15 + 1 + 1]);
    expect(bob.received.filter((m) => m.sender === 'trudy')).toHaveLength(30);
    await chatBothWays('after the queue drained');
    raw.close();
  });

  it('typing and presence floods are refused past their rate; the pair keeps chatting', async () => {
    const { raw, bobDevices } = await attacker('eve');
    const typing = () => ({
      ...garbageTo(bobDevices, 64),
      ephemeral: true,
      envelopes: bobDevices.map((device) => ({ device, sealed: { kind: 'box', nonce: toB64(randomBytes(24)), body: toB64(randomBytes(64)) } })),
    });
    const flapping = (() => {
      let n = 0;
      return () => ({ type: 'presence', id: `p${++n}`, state: n % 2 ? 'away' : 'online', hidden: false });
    })();
    const attack = Promise.all([flood(raw, typing, 2000), flood(raw, flapping, 2000)]);
    expect(await chatDuring(attack, 'during typing and presence floods')).toBeGreaterThan(0);
    const [typed, flapped] = await attack;
    for (const answered of [codes(typed), codes(flapped)]) {
      expect(answered.filter((c) => c === 'result').length).toBeLessThanOrEqual(10 * 4);
      expect(answered.filter((c) => c === 'rate_limited').length).toBeGreaterThan(answered.length / 2);
    }
    expect(relayRss()).toBeLessThan(RSS_BOUND_BYTES);
    raw.close();
  });

  it('frames nested deep or near the size limit are refused before parsing; the pair keeps chatting', async () => {
    const raw = await RawSocket.open(relay.url);
    await raw.register('oscar');
    const deep = '['.repeat(MAX_FRAME_BYTES / 2 - 16) + ']'.repeat(MAX_FRAME_BYTES / 2 - 16);
    const attack = (async () => {
      for (let i = 0; i < 50; i++) raw.ws.send(deep);
      return raw.request({ type: 'ping', id: 'after' });
    })();
    expect(await chatDuring(attack, 'during deeply nested frames')).toBeGreaterThan(0);
    expect(await attack).toMatchObject({ type: 'result' });
    const refusals = raw.frames.filter((f) => f.type === 'error');
    expect(refusals).toHaveLength(50);
    expect(refusals.every((f) => f.code === 'bad_frame' && /nest/.test(String(f.message)))).toBe(true);
    expect(relayRss()).toBeLessThan(RSS_BOUND_BYTES);
    raw.close();
  });

  it('a client that stops reading gets its catch-up paced and is disconnected once live pushes pile up, not buffered without end', async () => {
    const topics = ['big0', 'big1', 'big2', 'big3', 'big4'];
    const text = 'x'.repeat(4000);
    const publish = async (count: number, to = topics) => {
      for (const topic of to) {
        for (let i = 0; i < count; i += 50) {
          const batch = Array.from({ length: 50 }, () => fetch(`${relay.url}/${topic}`, { method: 'POST', body: text }));
          for (const response of await Promise.all(batch)) expect(response.status).toBe(200);
        }
      }
    };
    await publish(1000);
    const reader = await RawSocket.open(relay.url);
    await reader.register('nonreader');
    (reader.ws as unknown as { _socket: net.Socket })._socket.pause();
    // 5 topics of 1,000 cached pushes: about 20 MB for a socket that reads nothing. The relay sends
    // a slice and waits for it to be read.
    reader.ws.send(JSON.stringify({ type: 'push-subscribe', id: 'all', topics: topics.map((topic) => ({ topic, after: null })) }));
    await chatBothWays('while a client does not read');
    expect(relayRss()).toBeLessThan(RSS_BOUND_BYTES);
    // Live pushes pile up behind the waiting catch-up (of the first topic; the others wait their
    // turn): past 1,000 the relay lets the reader go.
    await publish(1050, ['big0']);
    await chatBothWays('while live pushes pile up');
    (reader.ws as unknown as { _socket: net.Socket })._socket.resume();
    await waitFor(() => reader.closed, 5000, 'the relay to disconnect the client');
    expect(reader.frames.filter((f) => f.type === 'push').length).toBeLessThan(1000);
    expect(relayRss()).toBeLessThan(RSS_BOUND_BYTES);
  });

  it('push topics on the app socket take the address’s subscriptions, given back on unsubscribe and on close', async () => {
    const from = '127.0.0.3';
    const topics = (names: string[]) => names.map((topic) => ({ topic, after: null }));
    const names = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const first = await RawSocket.open(relay.url, { localAddress: from });
    await first.register('pusher');
    expect(await first.request({ type: 'push-subscribe', id: 's1', topics: topics(names) })).toMatchObject({ type: 'result' });
    expect(await first.request({ type: 'push-subscribe', id: 's2', topics: topics(['one-more']) })).toMatchObject({
      type: 'error',
      code: 'rate_limited',
    });
    // A topic named twice is refused, rather than followed twice.
    expect(await first.request({ type: 'push-subscribe', id: 's3', topics: topics(['t0', 't0']) })).toMatchObject({ type: 'error', code: 'bad_frame' });
    // An HTTP stream from the same address finds no subscription left either.
    expect(await streamStatus('/one-more/json', from)).toBe(429);
    expect(await first.request({ type: 'push-unsubscribe', id: 'u1', topics: ['t0'] })).toMatchObject({ type: 'result' });
    expect(await first.request({ type: 'push-subscribe', id: 's4', topics: topics(['one-more']) })).toMatchObject({ type: 'result' });
    // Closing the socket gives back all 30.
    first.close();
    await waitFor(() => first.closed, 2000, 'the socket to close');
    const second = await RawSocket.open(relay.url, { localAddress: from });
    await second.register('pusher2');
    expect(await second.request({ type: 'push-subscribe', id: 'again', topics: topics(names) })).toMatchObject({ type: 'result' });
    second.close();
  });
});

/** The status of an HTTP stream opened from `localAddress`; the stream is closed once it answers. */
function streamStatus(pathname: string, localAddress: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${relay.url}${pathname}`, { localAddress }, (response) => {
      resolve(response.statusCode ?? 0);
      request.destroy();
    });
    request.on('error', reject);
  });
}

/** Bob's profile opened again, with a listener attached before it connects (the count comes with the login). */
async function onlineClientWith(profile: string, before: (client: WarblerClient) => void): Promise<{ client: WarblerClient }> {
  const client = await WarblerClient.open(profile, { serverUrl: relay.url });
  before(client);
  client.start();
  await client.waitOnline(10_000);
  return { client };
}
