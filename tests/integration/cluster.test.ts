// Three relay nodes on PostgreSQL and Redis behind HAProxy, as deploy/ runs them: people on
// different nodes talk as on one relay, and nothing is lost or repeated when a node dies or
// Redis restarts.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { startCluster } from '../cluster.js';
import { privateRedis } from '../redis.js';
import { tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

async function online(dir: string, url: string, name: string): Promise<{ client: WarblerClient; texts: string[] }> {
  const client = await WarblerClient.register(path.join(dir, name), url, name);
  cleanups.push(() => client.close());
  const texts: string[] = [];
  client.on('received', (m) => texts.push(`${m.sender}: ${m.text}`));
  client.start();
  await client.waitOnline(10_000);
  return { client, texts };
}

const numbered = (from: string, n: number) => Array.from({ length: n }, (_, i) => `${from}: ${from} ${i}`);

describe('three relay nodes behind HAProxy', () => {
  it('kill -9 of a node during 2,000 messages between people on different nodes: each arrives once, in order', async () => {
    const dir = tempDir();
    const cluster = await startCluster(dir, cleanups);
    const people = ['alice', 'bob', 'carol', 'dave'];
    const clients = Object.fromEntries(await Promise.all(people.map(async (p) => [p, await online(dir, cluster.url, p)] as const)));
    // The balancer spreads sessions by open connections: the four are not all on one node.
    const spread = await cluster.connected();
    expect(spread.reduce((a: number, b) => a + (b ?? 0), 0)).toBe(4);
    expect(spread.filter((n) => (n ?? 0) > 0).length).toBeGreaterThanOrEqual(2);

    const pairs = [
      ['alice', 'bob'],
      ['bob', 'alice'],
      ['carol', 'dave'],
      ['dave', 'carol'],
    ] as const;
    const sends = pairs.flatMap(([from, to]) => numbered(from, 500).map((line) => clients[from]!.client.send(to, line.slice(from.length + 2))));
    await waitFor(() => people.reduce((n, p) => n + clients[p]!.texts.length, 0) >= 500, 60_000, 'part of the messages');
    const victim = (await cluster.connected()).findIndex((n) => (n ?? 0) > 0);
    await cluster.kill(victim);
    await cluster.restart(victim);

    await Promise.all(sends);
    for (const [from, to] of pairs) {
      await waitFor(() => clients[to]!.texts.filter((t) => t.startsWith(`${from}:`)).length >= 500, 120_000, `${from} to ${to}`);
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const [from, to] of pairs) expect(clients[to]!.texts.filter((t) => t.startsWith(`${from}:`))).toEqual(numbered(from, 500));
    for (const p of people) expect(clients[p]!.client.outboxEmpty()).toBe(true);
  }, 240_000);

  it('Redis restarted mid-conversation: nothing lost, delivery resumes', async () => {
    const dir = tempDir();
    const redis = await privateRedis();
    cleanups.push(() => redis.stop());
    const cluster = await startCluster(dir, cleanups, { redis: redis.url });
    const alice = await online(dir, cluster.url, 'alice');
    const bob = await online(dir, cluster.url, 'bob');
    const carol = await online(dir, cluster.url, 'carol');

    const before = numbered('alice', 50);
    await Promise.all(before.map((line) => alice.client.send('bob', line.slice('alice: '.length))));
    await waitFor(() => bob.texts.length >= 50, 30_000, 'the first messages');

    await redis.stop();
    const during = Array.from({ length: 50 }, (_, i) => `alice ${50 + i}`);
    const sending = during.map((text) => alice.client.send('bob', text));
    const fromCarol = carol.client.send('bob', 'while Redis was away');
    await new Promise((r) => setTimeout(r, 1500));
    await redis.start();

    await Promise.all([...sending, fromCarol]);
    await waitFor(() => bob.texts.length >= 101, 60_000, 'every message after Redis came back');
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.texts.filter((t) => t.startsWith('alice:'))).toEqual(numbered('alice', 100));
    expect(bob.texts.filter((t) => t.startsWith('carol:'))).toEqual(['carol: while Redis was away']);
  }, 180_000);
});
