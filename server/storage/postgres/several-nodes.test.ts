// Several relay nodes on one PostgreSQL database, each its own pool, writing at the same moment:
// nothing is lost or handed out twice, a device reads its queue in order without skipping what
// commits late, a retried send is stored once, and the nodes agree on one relay key.
import { describe, expect, it } from 'vitest';
import { postgresForTests } from '../../../tests/postgres-nodes.js';
import { LIMITS, device, type MessagingStores } from '../../../tests/relay-stores-suite.js';
import type { StoredEnvelope } from '../queue-store.js';
import type { PgDatabase } from './database.js';
import { openPostgresCoreStores } from './relay-stores.js';

const postgres = postgresForTests();

/** Two nodes (or more) on the emptied database. */
async function nodes(count = 2): Promise<{ stores: MessagingStores[]; dbs: PgDatabase[] }> {
  await postgres.empty();
  const dbs = await Promise.all(Array.from({ length: count }, () => postgres.node()));
  return { dbs, stores: dbs.map((db) => openPostgresCoreStores(db)) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('several relay nodes on one PostgreSQL database', () => {
  it('deliver every envelope of a device in seq order while nodes store to it, one of them slowly, and one acks', async () => {
    const { stores, dbs } = await nodes(3);
    const [a, b, reader] = stores as [MessagingStores, MessagingStores, MessagingStores];
    await a.accounts.registerAccount('alice', 'a', device('alice-1'), 1);
    await a.accounts.addDevice('alice', device('alice-2'), 2);
    for (const name of ['bob', 'carol', 'dave']) await b.accounts.registerAccount(name, name, device(`${name}-1`), 1);
    const PER_SENDER = 40;
    const send = (node: MessagingStores, from: string, i: number, to: string[]) =>
      node.queues.storeMessage(
        {
          messageId: `${from}-${i}`,
          fromUsername: from,
          fromDevice: `${from}-1`,
          serverTime: 1000 + i,
          copies: to.map((d) => ({ device: d, owner: d.replace(/-\d+$/, ''), sealed: JSON.stringify({ from, i, pad: 'x'.repeat(i) }) })),
        },
        LIMITS,
      );
    const sender = async (node: MessagingStores, from: string, to: string[]) => {
      for (let i = 0; i < PER_SENDER; i++) if (!(await send(node, from, i, to)).stored) throw new Error(`${from}-${i} was not stored`);
    };
    await send(a, 'erin', 0, ['zed-1']);
    // Another transaction holds zed-1's queue now and then, as a slow node would: dave's sends to
    // alice-1 and zed-1 then take long to commit, while bob's and carol's commit meanwhile.
    const slowNode = async () => {
      for (let round = 0; round < 6; round++) {
        await dbs[2]!.transaction(async (client) => {
          await client.query("SELECT 1 FROM queue_totals WHERE device = 'zed-1' FOR UPDATE");
          await pause(40);
        });
        await pause(10);
      }
    };
    let writing = true;
    // bob and carol list alice's devices in opposite orders: their locks must still not deadlock.
    const writers = Promise.all([
      sender(a, 'bob', ['alice-1', 'alice-2']),
      sender(b, 'carol', ['alice-2', 'alice-1']),
      sender(a, 'dave', ['zed-1', 'alice-1']),
      slowNode(),
    ]).finally(() => {
      writing = false;
    });

    // alice-1 follows its queue as a session does: what comes after the last seq it saw, acked as read.
    const seen: StoredEnvelope[] = [];
    let after = 0;
    for (let round = 0; round < 5000; round++) {
      const done = !writing;
      const batch = await reader.queues.pending('alice-1', after, 25);
      seen.push(...batch);
      if (batch.length > 0) {
        after = batch.at(-1)!.seq;
        await (round % 2 ? a : b).queues.ack('alice-1', batch.map((e) => e.seq), 5000);
      } else if (done) break;
      else await pause(2);
    }
    await writers;

    const seqs = seen.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    const ids = (...senders: string[]) => senders.flatMap((from) => Array.from({ length: PER_SENDER }, (_, i) => `${from}-${i}`)).sort();
    expect(seen.map((e) => e.messageId).sort()).toEqual(ids('bob', 'carol', 'dave'));
    // The other device, never read, holds its messages in seq order; the totals count them.
    const waiting = await a.queues.pending('alice-2', 0, 1000);
    expect(waiting.map((e) => e.messageId).sort()).toEqual(ids('bob', 'carol'));
    const totals = await dbs[0]!.pool.query("SELECT device, messages, bytes::int AS bytes FROM queue_totals WHERE device LIKE 'alice%' ORDER BY device");
    const bytes = waiting.reduce((sum, e) => sum + (e.kind === 'message' ? e.sealed.length : 0), 0);
    expect(totals.rows).toEqual([
      { device: 'alice-1', messages: 0, bytes: 0 },
      { device: 'alice-2', messages: 2 * PER_SENDER, bytes },
    ]);
    // Each read message sent its sender one receipt.
    for (const from of ['bob-1', 'carol-1', 'dave-1']) {
      const receipts = await b.queues.pending(from, 0, 1000);
      expect(receipts.map((e) => [e.kind, e.fromDevice])).toEqual(Array.from({ length: PER_SENDER }, () => ['delivered', 'alice-1']));
    }
  });

  it('store a send once when its retry arrives on another node at the same moment', async () => {
    const { stores } = await nodes();
    const [a, b] = stores as [MessagingStores, MessagingStores];
    const send = (node: MessagingStores, id: string, serverTime: number) =>
      node.queues.storeMessage(
        { messageId: id, fromUsername: 'bob', fromDevice: 'bob-1', serverTime, copies: [{ device: 'alice-1', owner: 'alice', sealed: '{}' }] },
        LIMITS,
      );
    const ids = Array.from({ length: 30 }, (_, i) => `m${i}`);
    const pairs = await Promise.all(ids.map((id, i) => Promise.all(i % 2 ? [send(a, id, 1000), send(b, id, 2000)] : [send(b, id, 2000), send(a, id, 1000)])));
    for (const [first, second] of pairs) {
      const stored = [first!, second!].filter((r) => r.stored);
      expect(stored).toHaveLength(1);
      expect([first, second].find((r) => !r!.stored)).toEqual({ stored: false, duplicate: true, serverTime: stored[0]!.serverTime });
    }
    const queued = await a.queues.pending('alice-1', 0, 100);
    expect(queued.map((e) => e.messageId).sort()).toEqual([...ids].sort());
  });

  it('keep one relay key when nodes start together', async () => {
    for (let round = 0; round < 5; round++) {
      const { stores } = await nodes(3);
      const keys = await Promise.all(stores.map((s, i) => s.relayIdentity.loadOrCreate(() => ({ publicKey: `public ${i}`, secretKey: `secret ${i}` }))));
      expect(new Set(keys.map((k) => JSON.stringify(k))).size).toBe(1);
      expect(await stores[0]!.relayIdentity.loadOrCreate(() => ({ publicKey: 'later', secretKey: 'later' }))).toEqual(keys[0]);
    }
  });

  it('register a name, or a device key, once when two nodes are asked at once', async () => {
    const { stores } = await nodes();
    const [a, b] = stores as [MessagingStores, MessagingStores];
    const names = await Promise.all([a.accounts.registerAccount('alice', 'a1', device('alice-1'), 1), b.accounts.registerAccount('alice', 'a2', device('alice-2'), 1)]);
    expect(names.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(names).toContainEqual({ ok: false, reason: 'username_taken' });
    expect((await a.accounts.account('alice'))?.devices).toHaveLength(1);

    const keys = await Promise.all([a.accounts.registerAccount('bob', 'b', device('shared-1'), 1), b.accounts.registerAccount('carol', 'c', device('shared-1'), 1)]);
    expect(keys.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(keys).toContainEqual({ ok: false, reason: 'device_exists' });
    // The refused registration left no account behind.
    expect([await a.accounts.account('bob'), await a.accounts.account('carol')].filter(Boolean)).toHaveLength(1);
  });

  it('hand out each one-time prekey once while nodes take bundles of one device together', async () => {
    const { stores } = await nodes();
    await stores[0]!.accounts.registerAccount('alice', 'a', device('alice-1', 12), 1);
    const taken = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i % 2]!.preKeys.takeBundles('alice', ['alice-1'])));
    const ids = taken.map((t) => t.bundles[0]!.oneTimePreKey?.id);
    expect(ids.sort((x, y) => x! - y!)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await stores[1]!.preKeys.preKeyCount('alice-1')).toBe(0);
    expect((await stores[0]!.preKeys.takeBundles('alice', ['alice-1'])).bundles[0]!.oneTimePreKey).toBeNull();
  });

  it('read at once what another node changed: nothing is answered from memory', async () => {
    const { stores } = await nodes();
    const [relay, command] = stores as [MessagingStores, MessagingStores];
    await relay.accounts.registerAccount('bob', 'b', device('bob-1'), 1);
    await relay.presence.addContacts('alice', ['bob']);
    await relay.presence.setHidden('bob', true);
    expect(await relay.accounts.devicesOf('bob')).toEqual(['bob-1']);
    expect(await relay.presence.notWrittenTo('alice', ['bob'])).toEqual([]);

    expect(await command.accounts.resetAccount('bob')).toBe(true);
    expect(await relay.accounts.account('bob')).toBeUndefined();
    expect(await relay.accounts.deviceByKey('bob-1')).toBeUndefined();
    expect(await relay.presence.isHidden('bob')).toBe(false);
    expect(await relay.presence.audienceOf('alice')).toEqual([]);
  });
});
