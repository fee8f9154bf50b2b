// A relay of several nodes: real relays sharing one data folder and one Redis, real clients
// connected to different nodes. What one node knows of its sessions reaches the others.
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { Presence } from '../../shared/ipc.js';
import type { Relay } from '../../server/relay.js';
import { startRelayProcess } from '../../bench/process.js';
import { httpUrl, onlineClient, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';

const REDIS = 'redis://127.0.0.1:6379';
const cleanups = useCleanups();

/** `count` nodes of one relay: one data folder, one Redis. */
async function fleet(count: number): Promise<{ dir: string; data: string; nodes: Relay[] }> {
  const dir = tempDir();
  const data = path.join(dir, 'relay');
  const nodes: Relay[] = [];
  for (let i = 0; i < count; i++) {
    const node = await testRelay(data, 0, { config: { redis: REDIS } });
    cleanups.push(() => node.close());
    nodes.push(node);
  }
  return { dir, data, nodes };
}

async function user(dir: string, node: Pick<Relay, 'url'>, name: string) {
  const online = await onlineClient(path.join(dir, name), node, name);
  cleanups.push(() => online.client.close());
  return online;
}

/** A separate connection to Redis, as an operator's would be. */
function redisAdmin(): Redis {
  const admin = new Redis(REDIS, { lazyConnect: false, maxRetriesPerRequest: 1 });
  cleanups.push(() => admin.quit());
  return admin;
}

const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('a relay of several nodes', () => {
  it('delivers between people on different nodes, each message once and in order, both ways, with receipts', async () => {
    const { dir, nodes } = await fleet(2);
    const alice = await user(dir, nodes[0]!, 'alice');
    const bob = await user(dir, nodes[1]!, 'bob');
    const fromAlice = numbered('from alice', 150);
    const fromBob = numbered('from bob', 150);
    const sent = await Promise.all([...fromAlice.map((t) => alice.client.send('bob', t)), ...fromBob.map((t) => bob.client.send('alice', t))]);
    await waitFor(() => bob.received.length >= 150 && alice.received.length >= 150, 20_000, 'both bursts');
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.received.map((m) => m.text)).toEqual(fromAlice);
    expect(alice.received.map((m) => m.text)).toEqual(fromBob);
    // Receipts are queued on the reader's node for the writer's device on the other.
    const last = sent[149]!;
    await waitFor(() => alice.client.message(last.id)?.state === 'delivered', 5000, 'delivered receipt across nodes');
  });

  it('delivers every message to one reader written at once from its own node and another', async () => {
    // Envelopes committed here reach the reader at once; those from the other node come with a
    // wake-up a moment later. None may be passed over for a later one.
    const { dir, nodes } = await fleet(2);
    const carol = await user(dir, nodes[0]!, 'carol');
    const alice = await user(dir, nodes[0]!, 'alice');
    const bob = await user(dir, nodes[1]!, 'bob');
    const fromAlice = numbered('from alice', 200);
    const fromBob = numbered('from bob', 200);
    await Promise.all([...fromAlice.map((t) => alice.client.send('carol', t)), ...fromBob.map((t) => bob.client.send('carol', t))]);
    await waitFor(() => carol.received.length >= 400, 40_000, 'both bursts at carol');
    await new Promise((r) => setTimeout(r, 300));
    const texts = carol.received.map((m) => m.text);
    expect(texts.filter((t) => t.startsWith('from alice'))).toEqual(fromAlice);
    expect(texts.filter((t) => t.startsWith('from bob'))).toEqual(fromBob);
  }, 60_000);

  it('shows presence and typing to people on other nodes', async () => {
    const { dir, nodes } = await fleet(2);
    const alice = await user(dir, nodes[0]!, 'alice');
    const bob = await user(dir, nodes[1]!, 'bob');
    const seen: Presence[] = [];
    bob.client.on('presence', (p) => p.username === 'alice' && seen.push(p));
    const typing: boolean[] = [];
    bob.client.on('typing', (t) => t.username === 'alice' && typing.push(t.typing));

    await alice.client.send('bob', 'now we share a conversation');
    await waitFor(() => seen.at(-1)?.state === 'online', 2000, 'online');
    alice.client.setPresence({ state: 'away' });
    await waitFor(() => seen.at(-1)?.state === 'away', 2000, 'away');
    alice.client.setPresence({ state: 'online' });
    await waitFor(() => seen.at(-1)?.state === 'online', 2000, 'back');

    await waitFor(() => bob.client.conversation('alice'), 2000, 'conversation');
    await alice.client.setTyping('bob', true);
    await waitFor(() => typing.length === 1, 2000, 'typing');
    await alice.client.setTyping('bob', false);
    await waitFor(() => typing.length === 2, 2000, 'stopped typing');
    expect(typing).toEqual([true, false]);

    const before = Date.now();
    await alice.client.close();
    await waitFor(() => seen.at(-1)?.state === 'offline', 2000, 'offline');
    expect(seen.at(-1)?.lastSeen).toBeGreaterThanOrEqual(before - 5);
  });

  it('keeps one connection per device: the same device connecting to another node closes the first', async () => {
    const { dir, nodes } = await fleet(2);
    const first = await user(dir, nodes[0]!, 'alice');
    const fatal: string[] = [];
    first.client.on('fatal', (err) => fatal.push(err.code));
    const second = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: httpUrl(nodes[1]!) });
    cleanups.push(() => second.close());
    second.start();
    await second.waitOnline(5000);
    await waitFor(() => fatal.length > 0, 5000, 'first replaced');
    expect(fatal).toEqual(['replaced']);

    // The device keeps receiving on its new node only.
    const bob = await user(dir, nodes[0]!, 'bob');
    const got: string[] = [];
    second.on('received', (m) => got.push(m.text));
    await bob.client.send('alice', 'to the new connection');
    await waitFor(() => got.length === 1, 5000, 'delivered on the new node');
    expect(first.received).toEqual([]);
    expect(second.connectionState).toBe('online');
  });

  it('links a device waiting on one node from a device on another; a removal there closes it', async () => {
    const { dir, nodes } = await fleet(3);
    const alice = await user(dir, nodes[1]!, 'alice');
    const bob = await user(dir, nodes[2]!, 'bob');
    await alice.client.send('bob', 'hello');
    const bobSaw: Presence[] = [];
    bob.client.on('presence', (p) => p.username === 'alice' && bobSaw.push(p));

    const linking = await WarblerClient.link(path.join(dir, 'alice-laptop'), httpUrl(nodes[0]!));
    await alice.client.approveDevice(linking.code);
    const laptop = await linking.done;
    cleanups.push(() => laptop.close());
    expect(laptop.username).toBe('alice');
    const laptopGot: string[] = [];
    laptop.on('received', (m) => laptopGot.push(m.text));
    laptop.start();
    await laptop.waitOnline(5000);
    await waitFor(() => laptop.conversation('bob'), 5000, 'contacts shared across nodes');

    await bob.client.send('alice', 'to both devices');
    await waitFor(() => laptopGot.includes('to both devices') && alice.received.some((m) => m.text === 'to both devices'), 5000, 'both devices');

    // Removed from the phone on node B, the laptop on node A is closed.
    const laptopFatal: string[] = [];
    laptop.on('fatal', (err) => laptopFatal.push(err.code));
    await alice.client.removeDevice(laptop.deviceKey);
    await waitFor(() => laptopFatal.length > 0, 5000, 'laptop closed');
    expect(laptopFatal).toEqual(['device_removed']);
    // Alice is still online on her phone: the laptop going did not make her offline.
    await new Promise((r) => setTimeout(r, 500));
    expect(bob.client.presenceList()).toEqual([expect.objectContaining({ username: 'alice', state: 'online' })]);
    expect(bobSaw.filter((p) => p.state === 'offline')).toEqual([]);
  });

  it('makes the people of a node that stops go offline for the others', async () => {
    const { dir, nodes } = await fleet(2);
    const bob = await user(dir, nodes[0]!, 'bob');
    const alice = await user(dir, nodes[1]!, 'alice');
    const seen: Presence[] = [];
    bob.client.on('presence', (p) => p.username === 'alice' && seen.push(p));
    await alice.client.send('bob', 'hi');
    await waitFor(() => seen.at(-1)?.state === 'online', 2000, 'online');
    const before = Date.now();
    await nodes[1]!.close();
    await waitFor(() => seen.at(-1)?.state === 'offline', 3000, 'offline once her node stops');
    expect(seen.at(-1)?.lastSeen).toBeGreaterThanOrEqual(before - 5);
    expect(bob.client.presenceList()).toEqual([expect.objectContaining({ username: 'alice', state: 'offline' })]);
  });

  it('makes the people of a node killed with -9 go offline for the others once its heartbeat expires', async () => {
    const { dir, data, nodes } = await fleet(1);
    const crashing = await startRelayProcess(data, undefined, ['--redis', REDIS]);
    cleanups.push(() => crashing.stop());
    const bob = await user(dir, nodes[0]!, 'bob');
    const alice = await user(dir, crashing, 'alice');
    const seen: Presence[] = [];
    bob.client.on('presence', (p) => p.username === 'alice' && seen.push(p));
    await alice.client.send('bob', 'hi');
    await waitFor(() => seen.at(-1)?.state === 'online', 2000, 'online');

    crashing.child.kill('SIGKILL');
    await new Promise((resolve) => crashing.child.once('exit', resolve));
    const killedAt = Date.now();
    await waitFor(() => seen.at(-1)?.state === 'offline', 30_000, 'offline once the dead node’s heartbeat expired');
    expect(seen.at(-1)?.lastSeen).toBeGreaterThanOrEqual(killedAt);
    expect(seen.filter((p) => p.state === 'offline')).toHaveLength(1);
  }, 60_000);

  it('loses nothing when the bus reconnects: what was published meanwhile is read from the queues', async () => {
    const { dir, nodes } = await fleet(2);
    const alice = await user(dir, nodes[0]!, 'alice');
    const bob = await user(dir, nodes[1]!, 'bob');
    await alice.client.send('bob', 'before');
    await waitFor(() => bob.received.length === 1, 5000, 'first');

    // Bob's node loses its subscriptions (as when Redis restarts or a network blip cuts them).
    const admin = redisAdmin();
    const clients = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
    const ids = clients
      .split('\n')
      .filter((line) => line.includes(` name=warbler-${nodes[1]!.node} `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1]);
    expect(ids).toHaveLength(1);
    await admin.call('CLIENT', 'KILL', 'ID', ids[0]!);
    const during = numbered('during', 30);
    await Promise.all(during.map((t) => alice.client.send('bob', t)));

    await waitFor(() => bob.received.length >= 31, 10_000, 'everything after the reconnect');
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.received.map((m) => m.text)).toEqual(['before', ...during]);
    // And the bus works again for what comes next.
    await alice.client.send('bob', 'after');
    await waitFor(() => bob.received.length === 32, 5000, 'after');
  });
});
