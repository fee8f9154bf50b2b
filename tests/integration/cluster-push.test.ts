// A relay of several nodes behind one address: real relays on loopback sharing one data folder
// and the machine's Redis, each driven through the push API as clients would.
import net from 'node:net';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RelayConfig } from '../../server/config.js';
import { redisPrefix } from '../../server/cluster/redis.js';
import type { Relay } from '../../server/relay.js';
import { httpUrl, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { RawSocket } from '../raw-socket.js';
import { deleteKeys, privateRedis, TEST_REDIS } from '../redis.js';
import type { z } from 'zod';

const cleanups = useCleanups();
const redis = new Redis(TEST_REDIS);
afterAll(() => redis.quit());

type Config = Partial<z.input<typeof RelayConfig>>;

/** Where a relay's nodes keep their data: the nodes started there share it, and Redis. */
const folders = new WeakMap<Relay, string>();

/**
 * Nodes of one relay, started at once: the same data folder (another node's, when given), the same
 * Redis. Their Redis keys go with the test.
 */
async function nodes(count: number, config: Config = {}, options: { logger?: pino.Logger; besides?: Relay } = {}): Promise<Relay[]> {
  const data = (options.besides && folders.get(options.besides)) ?? path.join(tempDir(), 'relay');
  const { logger } = options;
  const started = await Promise.all(
    Array.from({ length: count }, () => testRelay(data, 0, { config: { redis: TEST_REDIS, ...config }, ...(logger ? { logger } : {}) })),
  );
  if (!options.besides) cleanups.push(() => deleteKeys({ commands: redis, prefix: redisPrefix(data) }));
  for (const relay of started) {
    folders.set(relay, data);
    cleanups.push(() => relay.close());
  }
  return started;
}

async function publish(relay: Relay, topic: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${httpUrl(relay)}/${topic}`, { method: 'POST', headers, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

interface Received {
  events: () => { event: string; message?: string }[];
  messages: () => string[];
}

/** A streaming JSON subscription (curl -s …/json), once its open event has arrived. */
async function streamFrom(relay: Relay, topic: string): Promise<Received> {
  const controller = new AbortController();
  cleanups.push(() => controller.abort());
  let text = '';
  void fetch(`${httpUrl(relay)}/${topic}/json`, { signal: controller.signal })
    .then(async (response) => {
      const decoder = new TextDecoder();
      for await (const part of response.body!) text += decoder.decode(part as Uint8Array, { stream: true });
    })
    .catch(() => undefined);
  const events = () =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { event: string; message?: string });
  const received = { events, messages: () => events().flatMap((e) => (e.event === 'message' ? [e.message!] : [])) };
  await waitFor(() => events().some((e) => e.event === 'open'), 5000, 'the stream open');
  return received;
}

/** A WebSocket subscription (…/ws), once its open event has arrived. */
async function socketOn(relay: Relay, topic: string): Promise<Received> {
  const socket = new WebSocket(`${httpUrl(relay).replace('http', 'ws')}/${topic}/ws`);
  cleanups.push(() => socket.close());
  const frames: { event: string; message?: string }[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as { event: string; message?: string }));
  const received = { events: () => frames, messages: () => frames.flatMap((f) => (f.event === 'message' ? [f.message!] : [])) };
  await waitFor(() => frames.some((f) => f.event === 'open'), 5000, 'the socket open');
  return received;
}

/** The test Redis behind a proxy that holds what clients send it `delayMs` (in order); its URL. */
async function delayedRedis(delayMs: number): Promise<string> {
  const target = new URL(TEST_REDIS);
  const proxy = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), delayMs));
    upstream.pipe(client);
    for (const [one, other] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      one.on('error', () => other.destroy());
      one.on('close', () => other.destroy());
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
  return `redis://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
}

/** Waits until `nodes` nodes hear the topic's channel in Redis: a push published then reaches them all. */
async function heardBy(topic: string, nodes: number): Promise<void> {
  await waitFor(
    async () => {
      const channels = (await redis.call('PUBSUB', 'SHARDCHANNELS', `warbler:*:topic:${topic}`)) as string[];
      if (channels.length !== 1) return false;
      const [, count] = (await redis.call('PUBSUB', 'SHARDNUMSUB', channels[0]!)) as [string, number];
      return count === nodes;
    },
    5000,
    `${nodes} nodes hearing ${topic}`,
  );
}

describe('a push published on one node', () => {
  it('reaches a subscriber on another node as soon as it has heard "open"', async () => {
    // The subscriber's node talks to Redis through a line that holds every command 300 ms; the
    // publisher's does not. Were "open" told before Redis had the subscription, the push published
    // right after it would reach Redis first and pass the subscriber by.
    const slow = await delayedRedis(300);
    const [a] = await nodes(1);
    const [b] = await nodes(1, { redis: slow }, { besides: a! });
    for (const [i, topic] of ['fleet-fresh-1', 'fleet-fresh-2'].entries()) {
      const stream = i % 2 ? await socketOn(b!, topic) : await streamFrom(b!, topic);
      expect((await publish(a!, topic, 'right after open')).status).toBe(200);
      await waitFor(() => stream.messages().length === 1, 5000, `the push on ${topic}`);
    }
  });

  it('reaches a stream on another node and a WebSocket on a third, each exactly once', async () => {
    const [a, b, c] = await nodes(3);
    const stream = await streamFrom(b!, 'fleet-alerts');
    const socket = await socketOn(c!, 'fleet-alerts');
    const local = await streamFrom(a!, 'fleet-alerts');
    await heardBy('fleet-alerts', 3);

    expect((await publish(a!, 'fleet-alerts', 'disk full on db1')).status).toBe(200);
    // A second push behind it on the same channel: once it has arrived, a copy of the first would have too.
    expect((await publish(a!, 'fleet-alerts', 'marker')).status).toBe(200);
    for (const subscriber of [stream, socket, local]) {
      await waitFor(() => subscriber.messages().includes('marker'), 5000, 'the marker');
      expect(subscriber.messages()).toEqual(['disk full on db1', 'marker']);
    }
    // Published on another node, the other way round: the same.
    expect((await publish(c!, 'fleet-alerts', 'from c')).status).toBe(200);
    await waitFor(() => stream.messages().length === 3 && local.messages().length === 3 && socket.messages().length === 3, 5000, 'from c');
    expect(stream.messages().at(-1)).toBe('from c');
  });

  it('stops reaching a node once its last subscriber to the topic has gone', async () => {
    const [a, b] = await nodes(2);
    const controller = new AbortController();
    const response = await fetch(`${httpUrl(b!)}/fleet-leaving/json`, { signal: controller.signal });
    expect(response.status).toBe(200);
    await heardBy('fleet-leaving', 1);
    controller.abort();
    await waitFor(async () => ((await redis.call('PUBSUB', 'SHARDCHANNELS', 'warbler:*:topic:fleet-leaving')) as string[]).length === 0, 5000, 'no node hearing it');
    expect((await publish(a!, 'fleet-leaving', 'nobody listens')).status).toBe(200);
  });
});

describe('budgets across nodes', () => {
  it('counts a visitor’s requests once for the whole relay: spent on one node, refused on another', async () => {
    const [a, b] = await nodes(2, { visitorBurst: 3, visitorRefillMs: '1h' });
    for (let i = 0; i < 3; i++) expect((await publish(i % 2 ? b! : a!, 'fleet-budget', `n${i}`)).status).toBe(200);
    const refused = await publish(b!, 'fleet-budget', 'one too many');
    expect(refused).toEqual({ status: 429, json: expect.objectContaining({ code: 42901, http: 429 }) as unknown });
    expect((await publish(a!, 'fleet-budget', 'one too many')).status).toBe(429);
  });

  it('counts a visitor’s open subscriptions across nodes', async () => {
    const [a, b] = await nodes(2, { visitorSubscriptions: 2 });
    await streamFrom(a!, 'fleet-seats');
    const socket = await socketOn(b!, 'fleet-seats');
    const third = await fetch(`${httpUrl(b!)}/fleet-seats/json`);
    expect(third.status).toBe(429);
    expect(((await third.json()) as { code: number }).code).toBe(42903);
    expect(socket.events()[0]!.event).toBe('open');
  });
});

describe('the relay’s own budgets across nodes (its WebSocket protocol)', () => {
  it('counts registrations from one address once for the whole relay', async () => {
    const [a, b] = await nodes(2, { registrationsPerHour: 2 });
    const sockets = await Promise.all([a!, b!, a!].map((relay) => RawSocket.open(relay.url)));
    for (const raw of sockets) cleanups.push(() => raw.close());
    await sockets[0]!.register('fleet-alice');
    await sockets[1]!.register('fleet-bob');
    await expect(sockets[2]!.register('fleet-carol')).rejects.toThrow(/rate_limited/);
  });

  it('counts an app’s push subscriptions with the same address’s HTTP streams on another node', async () => {
    const [a, b] = await nodes(2, { visitorSubscriptions: 2 });
    const raw = await RawSocket.open(a!.url);
    cleanups.push(() => raw.close());
    await raw.register('fleet-dave');
    await streamFrom(b!, 'fleet-app-seats');
    const topics = (names: string[]) => names.map((topic) => ({ topic, after: null }));
    expect(await raw.request({ type: 'push-subscribe', id: 's1', topics: topics(['fleet-x']) })).toMatchObject({ type: 'result' });
    expect(await raw.request({ type: 'push-subscribe', id: 's2', topics: topics(['fleet-y']) })).toMatchObject({ type: 'error', code: 'rate_limited' });
    // Given back on one node, free on the other.
    expect(await raw.request({ type: 'push-unsubscribe', id: 'u1', topics: ['fleet-x'] })).toMatchObject({ type: 'result' });
    await waitFor(
      async () => {
        const controller = new AbortController();
        const response = await fetch(`${httpUrl(b!)}/fleet-app-seats/json`, { signal: controller.signal });
        controller.abort();
        return response.status === 200;
      },
      5000,
      'a stream let in again',
    );
  });
});

describe('a delayed push on a relay of several nodes', () => {
  it('is delivered once, by one node, to the subscribers of every node: also when a node started after it was published', async () => {
    const [a, b] = await nodes(2);
    const onA = await streamFrom(a!, 'fleet-later');
    const onB = await socketOn(b!, 'fleet-later');
    const published = await publish(a!, 'fleet-later', 'ten seconds on', { Delay: '10s' });
    expect(published.status).toBe(200);
    // A node that starts now finds the delayed push in the cache they share and schedules it too.
    const [c] = await nodes(1, {}, { besides: a! });
    const onC = await streamFrom(c!, 'fleet-later');
    await heardBy('fleet-later', 3);
    await waitFor(() => onA.messages().length > 0 && onB.messages().length > 0 && onC.messages().length > 0, 15_000, 'the delayed push');
    // Every node's timer has fired by now; a marker behind them shows nothing else came.
    expect((await publish(b!, 'fleet-later', 'marker')).status).toBe(200);
    for (const subscriber of [onA, onB, onC]) {
      await waitFor(() => subscriber.messages().includes('marker'), 5000, 'the marker');
      expect(subscriber.messages()).toEqual(['ten seconds on', 'marker']);
    }
    const claims = await redis.keys(`warbler:*:push-due:${published.json.id as string}`);
    expect(claims).toHaveLength(1);
  }, 30_000);
});

describe('periodic jobs on a relay of several nodes', () => {
  it('prune on one node only', async () => {
    const lines: { msg: string; node?: string }[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as { msg: string; node?: string });
        done();
      },
    });
    const started = await nodes(3, {}, { logger: pino({ level: 'debug' }, sink) });
    // Every node tries at start; the claim stands for the interval.
    const tried = () => lines.filter((l) => l.msg === 'pruning what expired' || l.msg === 'another node prunes this round');
    await waitFor(() => tried().length === 3, 5000, 'three nodes to have tried');
    const pruned = lines.filter((l) => l.msg === 'pruning what expired');
    expect(pruned).toHaveLength(1);
    expect(started.map((r) => r.node)).toContain(pruned[0]!.node);
    // This round's claim names the node that pruned (other runs' claims name other nodes).
    const holders = await Promise.all((await redis.keys('warbler:*:job:prune:*')).map((key) => redis.get(key)));
    expect(holders.filter((holder) => started.some((r) => r.node === holder))).toEqual([pruned[0]!.node]);
  });
});

describe('a node whose Redis is out of reach', () => {
  it('answers 503 to the health check and refuses push API requests, then recovers by itself', async () => {
    const outage = await privateRedis();
    cleanups.push(() => outage.stop());
    const [relay] = await nodes(1, { redis: outage.url });
    const health = async () => {
      const response = await fetch(`${httpUrl(relay!)}/v1/health`);
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
    expect(await health()).toEqual({ status: 200, json: expect.objectContaining({ ok: true, redis: true }) as unknown });
    expect((await publish(relay!, 'fleet-outage', 'before')).status).toBe(200);

    await outage.stop();
    await waitFor(async () => (await health()).status === 503, 10_000, 'a 503');
    expect((await health()).json).toMatchObject({ ok: false, redis: false });
    const refused = await publish(relay!, 'fleet-outage', 'during');
    expect(refused).toEqual({ status: 503, json: expect.objectContaining({ code: 50399, http: 503 }) as unknown });
    expect((await fetch(`${httpUrl(relay!)}/fleet-outage/json`)).status).toBe(503);
    // The WebSocket protocol refuses what it cannot count too, and says why (protocol 3 has no code of its own for it).
    const raw = await RawSocket.open(relay!.url);
    cleanups.push(() => raw.close());
    await expect(raw.register('fleet-erin')).rejects.toThrow(/"code":"internal".*shared store is out of reach/);

    await outage.start();
    await waitFor(async () => (await health()).status === 200, 15_000, 'a 200 again');
    expect((await health()).json).toMatchObject({ ok: true, redis: true });
    await waitFor(async () => (await publish(relay!, 'fleet-outage', 'after')).status === 200, 5000, 'publishing again');
  }, 40_000);
});
