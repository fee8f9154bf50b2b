// A relay of several nodes on a Redis Cluster of three shards instead of one Redis: real relays
// sharing one data folder, each given a different shard's address, real clients on each.
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Presence } from '../../shared/ipc.js';
import type { Relay } from '../../server/relay.js';
import { httpUrl, onlineClient, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { privateRedisCluster, type PrivateRedisCluster } from '../redis-cluster.js';

let cluster: PrivateRedisCluster;
beforeAll(async () => {
  cluster = await privateRedisCluster();
}, 60_000);
afterAll(() => cluster.close(), 30_000);
const cleanups = useCleanups();

/** Two nodes of one relay, node i given shard i's address. */
async function fleet(): Promise<{ dir: string; nodes: Relay[] }> {
  const dir = tempDir();
  const data = path.join(dir, 'relay');
  const nodes: Relay[] = [];
  for (let i = 0; i < 2; i++) {
    const node = await testRelay(data, 0, { config: { redis: `redis://127.0.0.1:${cluster.ports[i]}` } });
    cleanups.push(() => node.close());
    nodes.push(node);
  }
  return { dir, nodes };
}

async function user(dir: string, node: Pick<Relay, 'url'>, name: string) {
  const online = await onlineClient(path.join(dir, name), node, name);
  cleanups.push(() => online.client.close());
  return online;
}

/** Which shard holds the bus channel whose name ends so. */
async function shardHolding(channelEnd: string): Promise<number> {
  for (let i = 0; i < cluster.ports.length; i++) {
    const redis = new Redis(cluster.ports[i]!, '127.0.0.1');
    try {
      const channels = (await redis.call('PUBSUB', 'SHARDCHANNELS', '*')) as string[];
      if (channels.some((c) => c.endsWith(channelEnd))) return i;
    } finally {
      await redis.quit();
    }
  }
  throw new Error(`no shard holds a channel ending ${channelEnd}`);
}

const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('a relay of several nodes on a Redis Cluster', () => {
  it('delivers between people on different nodes, in order, with receipts, presence and typing', async () => {
    const { dir, nodes } = await fleet();
    const alice = await user(dir, nodes[0]!, 'alice');
    const bob = await user(dir, nodes[1]!, 'bob');
    const seen: Presence[] = [];
    bob.client.on('presence', (p) => p.username === 'alice' && seen.push(p));
    const typing: boolean[] = [];
    bob.client.on('typing', (t) => t.username === 'alice' && typing.push(t.typing));

    const fromAlice = numbered('from alice', 100);
    const fromBob = numbered('from bob', 100);
    const sent = await Promise.all([...fromAlice.map((t) => alice.client.send('bob', t)), ...fromBob.map((t) => bob.client.send('alice', t))]);
    await waitFor(() => bob.received.length >= 100 && alice.received.length >= 100, 20_000, 'both bursts');
    expect(bob.received.map((m) => m.text)).toEqual(fromAlice);
    expect(alice.received.map((m) => m.text)).toEqual(fromBob);
    await waitFor(() => alice.client.message(sent[99]!.id)?.state === 'delivered', 5000, 'delivered receipt across nodes');

    await waitFor(() => seen.at(-1)?.state === 'online', 5000, 'online');
    alice.client.setPresence({ state: 'away' });
    await waitFor(() => seen.at(-1)?.state === 'away', 5000, 'away');
    await alice.client.setTyping('bob', true);
    await waitFor(() => typing.length === 1, 5000, 'typing');
    expect(typing).toEqual([true]);
  });

  it('reaches a push subscriber on another node', async () => {
    const { nodes } = await fleet();
    const controller = new AbortController();
    cleanups.push(() => controller.abort());
    let text = '';
    const response = await fetch(`${httpUrl(nodes[1]!)}/cluster-alerts/json`, { signal: controller.signal });
    expect(response.status).toBe(200);
    const reading = (async () => {
      for await (const chunk of response.body!) text += Buffer.from(chunk as Uint8Array).toString();
    })().catch(() => undefined);
    await waitFor(() => text.includes('"open"'), 5000, 'open');
    const published = await fetch(`${httpUrl(nodes[0]!)}/cluster-alerts`, { method: 'POST', body: 'disk full on db1' });
    expect(published.status).toBe(200);
    await waitFor(() => text.includes('disk full on db1'), 5000, 'the push on the other node');
    controller.abort();
    await reading;
  });

  it('loses nothing when the shard of a reader’s channel restarts mid-conversation', async () => {
    const { dir, nodes } = await fleet();
    const alice = await user(dir, nodes[0]!, 'alice');
    const bob = await user(dir, nodes[1]!, 'bob');
    await alice.client.send('bob', 'before');
    await waitFor(() => bob.received.length === 1, 5000, 'first');

    const shard = await shardHolding(`device:${bob.client.deviceKey}`);
    await cluster.stopShard(shard);
    const during = numbered('during', 20);
    const sending = Promise.all(during.map((t) => alice.client.send('bob', t)));
    await new Promise((r) => setTimeout(r, 500));
    await cluster.startShard(shard);
    await sending;

    await waitFor(() => bob.received.length >= 21, 30_000, 'everything sent while the shard was away');
    await alice.client.send('bob', 'after');
    await waitFor(() => bob.received.length === 22, 10_000, 'after');
    expect(bob.received.map((m) => m.text)).toEqual(['before', ...during, 'after']);
  }, 90_000);
});
