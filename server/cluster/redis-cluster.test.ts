// The relay's Redis side on a real Redis Cluster of three shards: two links stand for two nodes of
// one relay, both given one shard's address, as an operator would give it.
import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testLink } from '../../tests/redis.js';
import { privateRedisCluster, type PrivateRedisCluster } from '../../tests/redis-cluster.js';
import { BudgetUnavailable } from '../budgets.js';
import { RedisTokenBucket, RedisWindow } from './counters.js';
import type { RedisLink } from './redis.js';
import { RedisSeats } from './seats.js';

const silent = pino({ level: 'silent' });
let cluster: PrivateRedisCluster;
beforeAll(async () => {
  cluster = await privateRedisCluster();
}, 60_000);
afterAll(() => cluster.close(), 30_000);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two nodes of one relay on the cluster, one through each of two different shards. */
async function twoNodes(): Promise<[RedisLink, RedisLink]> {
  const database = `test-${randomBytes(6).toString('hex')}`;
  const a = await testLink('node-a', database, `redis://127.0.0.1:${cluster.ports[0]}`);
  const b = await testLink('node-b', database, `redis://127.0.0.1:${cluster.ports[1]}`);
  cleanups.push(() => b.close(), () => a.close());
  return [a, b];
}

/** A plain connection to one shard, as an operator's redis-cli would be. */
function shard(i: number): Redis {
  const redis = new Redis(cluster.ports[i]!, '127.0.0.1', { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  cleanups.push(() => redis.quit());
  return redis;
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a relay node given the address of one Redis Cluster node', () => {
  it('uses the whole cluster: budgets are one across nodes, their keys spread over every shard', async () => {
    const [a, b] = await twoNodes();
    expect([a.commands, b.commands].every((c) => c instanceof Cluster)).toBe(true);
    const onA = new RedisWindow(a.commands, `${a.prefix}w:`, 3, 60_000);
    const onB = new RedisWindow(b.commands, `${b.prefix}w:`, 3, 60_000);
    const buckets = [new RedisTokenBucket(a.commands, `${a.prefix}t:`, 2, 60_000), new RedisTokenBucket(b.commands, `${b.prefix}t:`, 2, 60_000)];
    const seats = [new RedisSeats(a.commands, `${a.prefix}s:`, 1, 'node-a', silent), new RedisSeats(b.commands, `${b.prefix}s:`, 1, 'node-b', silent)];
    cleanups.push(() => seats.forEach((s) => s.stop()));
    for (const visitor of names('visitor', 12)) {
      expect(await onA.take(visitor, 2)).toBe(true);
      expect(await onB.take(visitor, 2)).toBe(false);
      expect(await onB.take(visitor, 1)).toBe(true);
      expect(await onA.left(visitor)).toBe(0);
      expect(await buckets[0]!.take(visitor, 2, Date.now())).toBe(true);
      expect(await buckets[1]!.take(visitor, 1, Date.now())).toBe(false);
      expect(await seats[1]!.hold(visitor)).not.toBeNull();
      expect(await seats[0]!.hold(visitor)).toBeNull();
    }
    // Each shard holds some of them: the relay's keys are not pinned to one slot.
    for (let i = 0; i < 3; i++) {
      const [, keys] = await shard(i).scan('0', 'MATCH', `${a.prefix}*`, 'COUNT', 1000);
      expect(keys.length).toBeGreaterThan(0);
    }
  });

  it('carries the bus across nodes on channels of every shard, and stops where nobody listens', async () => {
    const [a, b] = await twoNodes();
    const channels = names('device', 24);
    const heard: string[] = [];
    const leave = channels.map((channel) => b.bus.subscribe(channel, (body, from) => heard.push(`${channel} ${String(body)} from ${from}`)));
    await Promise.all(channels.map((channel) => b.bus.subscribed(channel)));
    // Sharded channels live on the shard of their slot: every shard has subscribers here.
    for (let i = 0; i < 3; i++) {
      const own = (await shard(i).call('PUBSUB', 'SHARDCHANNELS', `${b.prefix}*`)) as string[];
      expect(own.length).toBeGreaterThan(0);
    }
    for (const channel of channels) a.bus.publish(channel, 'mail');
    await waitUntil('every channel heard', () => heard.length === channels.length);
    expect(heard.sort()).toEqual(channels.map((c) => `${c} mail from node-a`).sort());

    for (const stop of leave) stop();
    await waitUntil('no subscriber left', async () => {
      const counts = await Promise.all([0, 1, 2].map(async (i) => ((await shard(i).call('PUBSUB', 'SHARDCHANNELS', `${b.prefix}*`)) as string[]).length));
      return counts.every((n) => n === 0);
    });
  });

  it('refuses budgets on a stopped shard, and after its restart hears its channels again and re-derives', async () => {
    const [a, b] = await twoNodes();
    // The shard that neither node was given: the nodes find it through the others.
    const lost = 2;
    const channels = names('user', 24);
    const heard = new Set<string>();
    for (const channel of channels) b.bus.subscribe(channel, (body) => heard.add(`${channel} ${String(body)}`));
    await Promise.all(channels.map((channel) => b.bus.subscribed(channel)));
    let rederived = 0;
    b.bus.onReconnect(() => rederived++);
    const window = new RedisWindow(a.commands, `${a.prefix}w:`, 100, 60_000);
    const onLost = (await Promise.all(channels.map(async (c) => ((await shard(lost).call('CLUSTER', 'KEYSLOT', `${a.prefix}w:${c}`)) as number)))).map(
      (slot, i) => [slot, channels[i]!] as const,
    );
    const slotsOfLost = await slotsOf(lost);
    const keyOnLost = onLost.find(([slot]) => slotsOfLost(slot))?.[1];
    expect(keyOnLost).toBeDefined();

    await cluster.stopShard(lost);
    await expect(window.take(keyOnLost!, 1)).rejects.toBeInstanceOf(BudgetUnavailable);
    await cluster.startShard(lost);

    await waitUntil('the bus back on the restarted shard', () => rederived > 0, 30_000);
    await waitUntil('budgets counted again', async () => window.take(keyOnLost!, 1).then(() => true, () => false), 30_000);
    for (const channel of channels) a.bus.publish(channel, 'after');
    await waitUntil('every channel heard after the restart', () => channels.every((c) => heard.has(`${c} after`)), 10_000);
  }, 90_000);
});

/** Whether a slot is served by shard i, from its own CLUSTER SLOTS answer. */
async function slotsOf(i: number): Promise<(slot: number) => boolean> {
  const ranges = (await shard(i).call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
  const own = ranges.filter(([, , [, port]]) => port === cluster.ports[i]);
  return (slot) => own.some(([from, to]) => slot >= from && slot <= to);
}
