// The shared counts against a real Redis: two connections stand for two nodes of one relay.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { privateRedis, testLink } from '../../tests/redis.js';
import { BudgetUnavailable } from '../budgets.js';
import { RedisTokenBucket, RedisWindow } from './counters.js';
import type { RedisLink } from './redis.js';
import { RedisSeats } from './seats.js';

const silent = pino({ level: 'silent' });
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Two nodes of one relay: their own connections, one namespace. */
async function twoNodes(): Promise<[RedisLink, RedisLink]> {
  const database = `test-${randomBytes(6).toString('hex')}`;
  const a = await testLink('node-a', database);
  const b = await testLink('node-b', database);
  cleanups.push(() => b.close(), () => a.close());
  return [a, b];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a window counted in Redis', () => {
  it('is one budget for every node: what one spent, the other cannot', async () => {
    const [a, b] = await twoNodes();
    const onA = new RedisWindow(a.commands, `${a.prefix}w:`, 10, 60_000);
    const onB = new RedisWindow(b.commands, `${b.prefix}w:`, 10, 60_000);
    expect(await onA.take('alice', 8)).toBe(true);
    expect(await onB.take('alice', 3)).toBe(false);
    expect(await onB.left('alice')).toBe(2);
    expect(await onB.take('alice', 2)).toBe(true);
    expect(await onA.take('alice', 1)).toBe(false);
    expect(await onA.take('bob', 10)).toBe(true);
    expect(await onA.left('carol')).toBe(10);
    // Nothing stays: the key goes with its window.
    const ttl = await a.commands.pttl(`${a.prefix}w:alice`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('starts over once the window has passed', async () => {
    const [a, b] = await twoNodes();
    const onA = new RedisWindow(a.commands, `${a.prefix}w:`, 2, 300);
    const onB = new RedisWindow(b.commands, `${b.prefix}w:`, 2, 300);
    expect(await onA.take('k', 2)).toBe(true);
    expect(await onB.take('k', 1)).toBe(false);
    await sleep(400);
    expect(await onB.left('k')).toBe(2);
    expect(await onB.take('k', 2)).toBe(true);
  });

  it('refuses many takes at once beyond the budget, across nodes (the check and the spend are one step)', async () => {
    const [a, b] = await twoNodes();
    const counters = [new RedisWindow(a.commands, `${a.prefix}w:`, 25, 60_000), new RedisWindow(b.commands, `${b.prefix}w:`, 25, 60_000)];
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => counters[i % 2]!.take('burst', 1)));
    expect(answers.filter(Boolean)).toHaveLength(25);
  });
});

describe('a token bucket counted in Redis', () => {
  it('allows the burst across nodes, then one per refill interval, and forgets a full bucket', async () => {
    const [a, b] = await twoNodes();
    const onA = new RedisTokenBucket(a.commands, `${a.prefix}t:`, 3, 300);
    const onB = new RedisTokenBucket(b.commands, `${b.prefix}t:`, 3, 300);
    expect(await onA.take('10.0.0.1', 1, Date.now())).toBe(true);
    expect(await onB.take('10.0.0.1', 1, Date.now())).toBe(true);
    expect(await onA.take('10.0.0.1', 1, Date.now())).toBe(true);
    expect(await onB.take('10.0.0.1', 1, Date.now())).toBe(false);
    expect(await onB.take('10.0.0.2', 1, Date.now())).toBe(true);
    expect(await onA.left('10.0.0.1', Date.now())).toBeLessThan(1);
    const ttl = await a.commands.pttl(`${a.prefix}t:10.0.0.1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3 * 300 + 1);
    await sleep(350);
    expect(await onB.take('10.0.0.1', 1, Date.now())).toBe(true);
    expect(await onA.take('10.0.0.1', 1, Date.now())).toBe(false);
    await sleep(1000);
    expect(await onA.left('10.0.0.1', Date.now())).toBe(3);
    expect(await a.commands.exists(`${a.prefix}t:10.0.0.1`)).toBe(0);
  });
});

describe('places held at once, counted in Redis', () => {
  it('holds up to the limit across nodes; giving one back frees it, twice frees only one', async () => {
    const [a, b] = await twoNodes();
    const onA = new RedisSeats(a.commands, `${a.prefix}s:`, 2, 'node-a', silent);
    const onB = new RedisSeats(b.commands, `${b.prefix}s:`, 2, 'node-b', silent);
    cleanups.push(() => onA.stop(), () => onB.stop());
    const first = await onA.hold('addr');
    expect(first).not.toBeNull();
    expect(await onB.hold('addr')).not.toBeNull();
    expect(await onA.hold('addr')).toBeNull();
    expect(await onB.hold('addr')).toBeNull();
    expect(await onB.hold('other')).not.toBeNull();
    first!();
    first!();
    await waitUntil(async () => (await a.commands.hget(`${a.prefix}s:addr`, 'n:node-a')) === null);
    expect(await onB.hold('addr')).not.toBeNull();
    expect(await onA.hold('addr')).toBeNull();
  });

  it('frees the places of a node that stopped renewing them (it died) once its lease lapses, and keeps a live node’s', async () => {
    const [a, b] = await twoNodes();
    const lease = 300;
    const live = new RedisSeats(a.commands, `${a.prefix}s:`, 2, 'node-a', silent, lease);
    const dying = new RedisSeats(b.commands, `${b.prefix}s:`, 2, 'node-b', silent, lease);
    cleanups.push(() => live.stop(), () => dying.stop());
    expect(await live.hold('addr')).not.toBeNull();
    expect(await dying.hold('addr')).not.toBeNull();
    expect(await live.hold('addr')).toBeNull();
    dying.stop();
    await sleep(3 * lease);
    // The live node renewed its place; the dead one's lapsed and is counted no more.
    expect(await live.hold('addr')).not.toBeNull();
    expect(await live.hold('addr')).toBeNull();
    expect(await a.commands.pttl(`${a.prefix}s:addr`)).toBeGreaterThan(0);
  });
});

describe('counts while Redis is out of reach', () => {
  it('refuses with BudgetUnavailable, keeps places given back meanwhile, and counts again once Redis returns', async () => {
    const redis = await privateRedis();
    cleanups.push(() => redis.stop());
    const link = await testLink('node-a', `test-${randomBytes(6).toString('hex')}`, redis.url);
    cleanups.push(() => link.close());
    const window = new RedisWindow(link.commands, `${link.prefix}w:`, 5, 60_000);
    const seats = new RedisSeats(link.commands, `${link.prefix}s:`, 1, 'node-a', silent, 300);
    cleanups.push(() => seats.stop());
    expect(await window.take('k', 1)).toBe(true);
    const release = await seats.hold('addr');
    expect(release).not.toBeNull();

    await redis.stop();
    await waitUntil(() => !link.up);
    await expect(window.take('k', 1)).rejects.toBeInstanceOf(BudgetUnavailable);
    await expect(window.left('k')).rejects.toBeInstanceOf(BudgetUnavailable);
    await expect(seats.hold('other')).rejects.toBeInstanceOf(BudgetUnavailable);
    // Given back while Redis is away: said again once it is back.
    release!();

    await redis.start();
    await waitUntil(() => link.up);
    // This Redis kept nothing: the window starts over, and the one place is free.
    expect(await window.take('k', 5)).toBe(true);
    expect(await seats.hold('addr')).not.toBeNull();
    expect(await seats.hold('addr')).toBeNull();
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}
