// Migration 005 adds the batched send and ack functions to a database made at step 4: what its
// queues held stays. The sends (and the acks) made in one turn go to the database as one call, and
// each comes out as it would have alone: limits met by the messages before it in the batch, a
// repeat within the batch, a call the database refuses failing alone.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { countingQueries, freshPostgres, withClient } from '../../../../tests/postgres-databases.js';
import type { NewMessage, Queued, StoreMessageResult } from '../../queue-store.js';
import { migratePostgres, openPostgresDatabase, type PgDatabase } from '../database.js';
import { PgQueueStore } from '../queue-store.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function accounts(db: PgDatabase, people: Record<string, string[]>): Promise<void> {
  let at = 1;
  for (const [who, devices] of Object.entries(people)) {
    await db.pool.query('INSERT INTO accounts VALUES ($1, $2, 1)', [who, `key-${who}`]);
    for (const device of devices) await db.pool.query('INSERT INTO devices VALUES ($1, $2, $3, $4)', [device, who, 'cert', at++]);
  }
}

/** A fresh database at the last step, with these people's devices; closed and dropped after the file. */
async function openedWith(people: Record<string, string[]>): Promise<PgDatabase> {
  const { url, drop } = await freshPostgres();
  cleanup.push(drop);
  const db = await openPostgresDatabase(url);
  cleanup.push(() => db.close());
  await accounts(db, people);
  return db;
}

const message = (messageId: string, from: [string, string], to: [string, string][], serverTime = 100): NewMessage => ({
  messageId,
  fromUsername: from[0],
  fromDevice: from[1],
  serverTime,
  copies: to.map(([owner, device]) => ({ device, owner, sealed: `${messageId}>${device}` })),
});

const seqsOf = (result: StoreMessageResult): number[] => (result.stored ? result.queued.map((q) => q.envelope.seq) : []);

describe('PostgreSQL migration 005 (batched queue functions)', () => {
  it('keeps what a step-4 node queued; a node of that release still running can go on sending', async () => {
    const { url, drop } = await freshPostgres();
    cleanup.push(drop);
    const earlier = new pg.Pool({ connectionString: url, max: 1 });
    await migratePostgres(earlier, POSTGRES_MIGRATIONS.slice(0, 4), url);
    // A step-4 node's send, through the step-3 function, as that release made it.
    const oldSend = (id: string, serverTime: number) =>
      earlier.query("SELECT seqs FROM warbler_store_message('bob-1', $1, 'bob', $2, '{alice-1}', '{alice}', '{sealed}', 100, 100000)", [id, serverTime]);
    await earlier.query("INSERT INTO accounts VALUES ('alice', 'k', 1), ('bob', 'k', 1)");
    await earlier.query("INSERT INTO devices VALUES ('alice-1', 'alice', 'c', 1), ('bob-1', 'bob', 'c', 1), ('bob-2', 'bob', 'c', 2)");
    await oldSend('m1', 10);
    const before = (await earlier.query('SELECT * FROM envelopes ORDER BY seq')).rows;

    const db = await openPostgresDatabase(url);
    cleanup.push(() => db.close());
    expect((await db.pool.query('SELECT version FROM warbler_schema')).rows).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
    expect((await db.pool.query('SELECT * FROM envelopes ORDER BY seq')).rows).toEqual(before);
    await oldSend('m2', 11);
    await earlier.end();

    const queues = new PgQueueStore(db);
    const repeat = await queues.storeMessage(message('m1', ['bob', 'bob-1'], [['alice', 'alice-1']], 20), { messages: 10, bytes: 1000 });
    expect(repeat).toEqual({ stored: false, duplicate: true, serverTime: 10 });
    const held = await queues.pending('alice-1', 0, 10);
    expect(held.map((e) => e.messageId)).toEqual(['m1', 'm2']);
    const acked = await queues.ack('alice-1', held.map((e) => e.seq), 30);
    expect(acked.removed).toBe(2);
    expect(acked.queued.map((r) => [r.device, r.envelope.messageId, r.envelope.fromUsername])).toEqual([
      ['bob-1', 'm1', 'alice'],
      ['bob-2', 'm1', 'alice'],
      ['bob-1', 'm2', 'alice'],
      ['bob-2', 'm2', 'alice'],
    ]);
    expect((await db.pool.query("SELECT messages, bytes FROM queue_totals WHERE device = 'alice-1'")).rows).toEqual([{ messages: 0, bytes: '0' }]);
  });

  // A batch near the queues' limits, with a repeat in it, is stored message by message.
  it('stores the sends of one turn in one call, each as it would be alone', async () => {
    const opened = await openedWith({ alice: ['a1'], bob: ['b1', 'b2'], carol: ['c1'] });
    const { db, calls } = countingQueries(opened);
    const queues = new PgQueueStore(db);
    const limits = { messages: 2, bytes: 1000 };
    const toBob: [string, string][] = [['bob', 'b1'], ['bob', 'b2']];

    const results = await Promise.all([
      queues.storeMessage(message('m1', ['alice', 'a1'], toBob, 101), limits),
      queues.storeMessage(message('m2', ['alice', 'a1'], toBob, 102), limits),
      // Bob's queues are full with the two before it in this very batch.
      queues.storeMessage(message('m3', ['alice', 'a1'], toBob, 103), limits),
      // A retry of m1 within the batch answers m1's time.
      queues.storeMessage(message('m1', ['alice', 'a1'], toBob, 104), limits),
      queues.storeMessage(message('m4', ['alice', 'a1'], [['carol', 'c1'], ...toBob], 105), limits),
      // Another sender's message in the same batch.
      queues.storeMessage(message('m5', ['carol', 'c1'], [['alice', 'a1']], 106), { messages: 2, bytes: 1000 }),
    ]);
    expect(calls.filter((c) => c === 'queue-store-messages')).toHaveLength(1);

    const [m1, m2, m3, again, m4, m5] = results;
    expect(m1!.stored && m1!.queued.map((q) => [q.device, q.envelope.messageId])).toEqual([['b1', 'm1'], ['b2', 'm1']]);
    expect(m2!.stored).toBe(true);
    expect(m3).toEqual({ stored: false, duplicate: false, full: ['bob'] });
    expect(again).toEqual({ stored: false, duplicate: true, serverTime: 101 });
    // m4: carol has room, bob none; a message one of whose people would get no copy is not stored.
    expect(m4).toEqual({ stored: false, duplicate: false, full: ['bob'] });
    expect(m5!.stored).toBe(true);
    // What was refused is counted per device, for the device to be told at its next login.
    expect(await queues.takeMissed('b1', 0)).toEqual({ expired: 0, refused: 2 });
    expect((await opened.pool.query("SELECT device, messages FROM queue_totals WHERE device IN ('b1', 'b2', 'c1') ORDER BY device")).rows).toEqual([
      { device: 'b1', messages: 2 },
      { device: 'b2', messages: 2 },
      { device: 'c1', messages: 0 },
    ]);
    // The refused m3 released its id: sent again once there is room, it is stored.
    await queues.ack('b1', seqsOf(m1!).slice(0, 1), 200);
    expect((await queues.storeMessage(message('m3', ['alice', 'a1'], [['bob', 'b1']], 201), limits)).stored).toBe(true);
  });

  it('stores new sends message by message when the batch as a whole would not fit', async () => {
    const db = await openedWith({ alice: ['a1'], bob: ['b1'], carol: ['c1'] });
    const queues = new PgQueueStore(db);
    const limits = { messages: 2, bytes: 1000 };
    // Every id new: the batch is tried whole first, and bob's queue cannot take all three.
    const results = await Promise.all(
      ['m1', 'm2', 'm3'].map((id, i) => queues.storeMessage(message(id, [i === 1 ? 'carol' : 'alice', i === 1 ? 'c1' : 'a1'], [['bob', 'b1']]), limits)),
    );
    expect(results.map((r) => r.stored)).toEqual([true, true, false]);
    expect(results[2]).toEqual({ stored: false, duplicate: false, full: ['bob'] });
    expect((await queues.pending('b1', 0, 10)).map((e) => e.messageId)).toEqual(['m1', 'm2']);
  });

  it('gives each ack of a batch its own receipts, with their seqs', async () => {
    const db = await openedWith({ alice: ['a1'], bob: ['b1', 'b2'], carol: ['c1'] });
    const queues = new PgQueueStore(db);
    const limits = { messages: 100, bytes: 100_000 };
    const [toBob, toCarol] = await Promise.all([
      queues.storeMessage(message('for-bob', ['alice', 'a1'], [['bob', 'b1'], ['bob', 'b2']]), limits),
      queues.storeMessage(message('for-carol', ['alice', 'a1'], [['carol', 'c1']]), limits),
    ]);
    const seqOn = (r: StoreMessageResult, device: string) => (r.stored ? r.queued.find((q) => q.device === device)!.envelope.seq : -1);
    const [fromB1, fromC1, fromB2] = await Promise.all([
      queues.ack('b1', [seqOn(toBob!, 'b1')], 400),
      queues.ack('c1', [seqOn(toCarol!, 'c1')], 401),
      queues.ack('b2', [seqOn(toBob!, 'b2')], 402),
    ]);
    const told = (r: typeof fromB1) => r.queued.map((q) => [q.device, q.envelope.messageId, q.envelope.fromUsername, q.envelope.fromDevice]);
    expect(told(fromB1!)).toEqual([['a1', 'for-bob', 'bob', 'b1']]);
    expect(told(fromC1!)).toEqual([['a1', 'for-carol', 'carol', 'c1']]);
    expect(told(fromB2!)).toEqual([['a1', 'for-bob', 'bob', 'b2']]);
    // Each receipt's seq is the one its envelope has in alice's queue.
    const queued = await queues.pending('a1', 0, 10);
    for (const r of [fromB1!, fromC1!, fromB2!]) {
      const [receipt] = r.queued;
      expect(queued.find((e) => e.seq === receipt!.envelope.seq)).toMatchObject({ kind: 'delivered', messageId: receipt!.envelope.messageId, fromDevice: receipt!.envelope.fromDevice });
    }
  });

  it('an ack of a batch removes only its own device’s envelopes, each once, and no receipt where refused', async () => {
    const db = await openedWith({ alice: ['a1'], bob: ['b1'], carol: ['c1'] });
    const queues = new PgQueueStore(db);
    const limits = { messages: 100, bytes: 100_000 };
    const sent = await queues.storeMessage(message('hello', ['alice', 'a1'], [['bob', 'b1'], ['carol', 'c1']]), limits);
    const seqOn = (device: string) => (sent.stored ? sent.queued.find((q) => q.device === device)!.envelope.seq : -1);
    const { db: counted, calls } = countingQueries(db);
    const batched = new PgQueueStore(counted);
    // bob names carol's envelope and his own twice; carol wants no receipt for hers.
    const [byBob, byCarol] = await Promise.all([
      batched.ack('b1', [seqOn('b1'), seqOn('c1'), seqOn('b1')], 400),
      batched.ack('c1', [seqOn('c1')], 401, new Set([seqOn('c1')])),
    ]);
    expect(calls).toEqual(['queue-ack-many']);
    expect(byBob).toMatchObject({ removed: 1 });
    expect(byBob!.queued.map((q) => [q.device, q.envelope.messageId, q.envelope.fromDevice])).toEqual([['a1', 'hello', 'b1']]);
    expect(byCarol).toEqual({ removed: 1, queued: [] });
    const totals = await db.pool.query<{ device: string; messages: number }>(
      "SELECT device, messages FROM queue_totals WHERE device IN ('b1', 'c1') ORDER BY device",
    );
    expect(totals.rows).toEqual([
      { device: 'b1', messages: 0 },
      { device: 'c1', messages: 0 },
    ]);
    expect((await queues.pending('a1', 0, 10)).map((e) => [e.kind, e.fromDevice])).toEqual([['delivered', 'b1']]);
  });

  it('acks of one turn go in one call; one the database refuses fails alone', async () => {
    const opened = await openedWith({ alice: ['a1', 'a2'], bob: ['b1'], carol: ['c1'] });
    await opened.pool.query("INSERT INTO hidden VALUES ('carol')");
    const { db, calls } = countingQueries(opened);
    const queues = new PgQueueStore(db);
    const limits = { messages: 100, bytes: 100_000 };
    const sent = await Promise.all(
      ['m1', 'm2', 'm3'].map((id) => queues.storeMessage(message(id, ['alice', 'a1'], [['bob', 'b1'], ['carol', 'c1']]), limits)),
    );
    const seqs = (device: string) => sent.flatMap((r) => (r.stored ? r.queued.filter((q) => q.device === device).map((q) => q.envelope.seq) : []));
    const [b1, c1] = [seqs('b1'), seqs('c1')];

    const receipts = (r: { queued: Queued[] }) => r.queued.map((q) => [q.device, q.envelope.messageId, q.envelope.fromUsername, q.envelope.serverTime]);

    // Each device once (the whole batch in one statement).
    let before = calls.length;
    const [bob, carol] = await Promise.all([
      // m3 comes from a blocked sender: no receipt for it.
      queues.ack('b1', [b1[0]!, b1[2]!], 300, new Set([b1[2]!])),
      queues.ack('c1', c1, 301),
    ]);
    expect(calls.slice(before)).toEqual(['queue-ack-many']);
    expect(bob!.removed).toBe(2);
    expect(receipts(bob!)).toEqual([['a1', 'm1', 'bob', 300], ['a2', 'm1', 'bob', 300]]);
    // Carol hides her presence: a receipt would show her online.
    expect(carol).toEqual({ removed: 3, queued: [] });

    // One device twice (ack by ack, the second seeing what the first deleted).
    before = calls.length;
    const [once, again] = await Promise.all([queues.ack('b1', [b1[1]!], 302), queues.ack('b1', [b1[1]!], 303)]);
    expect(calls.slice(before)).toEqual(['queue-ack-many']);
    expect(once!.removed).toBe(1);
    expect(receipts(once!)).toEqual([['a1', 'm2', 'bob', 302], ['a2', 'm2', 'bob', 302]]);
    expect(again).toEqual({ removed: 0, queued: [] });
    expect((await queues.pending('a2', 0, 10)).map((e) => [e.kind, e.messageId])).toEqual([['delivered', 'm1'], ['delivered', 'm2']]);
    expect((await opened.pool.query("SELECT device, messages FROM queue_totals WHERE device IN ('b1', 'c1') ORDER BY device")).rows).toEqual([
      { device: 'b1', messages: 0 },
      { device: 'c1', messages: 0 },
    ]);

    // A sealed copy PostgreSQL cannot hold (a NUL character) undoes its batch; the others of that
    // batch are stored on their own, and only it fails.
    const mixed = await Promise.allSettled([
      queues.storeMessage(message('ok-1', ['bob', 'b1'], [['alice', 'a1']]), limits),
      queues.storeMessage({ ...message('bad', ['bob', 'b1'], [['alice', 'a1']]), copies: [{ device: 'a1', owner: 'alice', sealed: 'nul\u0000' }] }, limits),
      queues.storeMessage(message('ok-2', ['carol', 'c1'], [['alice', 'a1']]), limits),
    ]);
    expect(mixed.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await queues.pending('a1', 0, 10)).filter((e) => e.kind === 'message').map((e) => e.messageId)).toEqual(['ok-1', 'ok-2']);
  });

  it('two nodes storing and acking at once for overlapping queues lose, repeat and deadlock nothing', async () => {
    const { url, drop } = await freshPostgres();
    cleanup.push(drop);
    const [a, b] = [await openPostgresDatabase(url), await openPostgresDatabase(url)];
    let open = true;
    const close = async () => {
      if (open) await Promise.all([a.close(), b.close()]);
      open = false;
    };
    cleanup.push(close);
    // A deadlock would be undone by PostgreSQL and hidden by the calls going again one by one: the
    // server's count of them is read once the nodes' connections have ended (and reported it).
    const deadlocks = () => withClient(url, async (c) => Number((await c.query('SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()')).rows[0].deadlocks));
    const deadlocksBefore = await deadlocks();
    const people = Array.from({ length: 8 }, (_, i) => `p${i}`);
    await accounts(a, Object.fromEntries(people.map((p) => [p, [`${p}-1`]])));
    const nodes = [new PgQueueStore(a), new PgQueueStore(b)];
    const limits = { messages: 10_000, bytes: 10_000_000 };
    const ROUNDS = 12;
    // Every send of every person at once, alternating nodes: the batches of both nodes lock
    // overlapping queues in every direction.
    const results = await Promise.all(
      people.flatMap((from, f) =>
        Array.from({ length: ROUNDS }, (_, n) => {
          const to = people.filter((p) => p !== from).map((p): [string, string] => [p, `${p}-1`]);
          return nodes[(f + n) % 2]!.storeMessage(message(`${from}-${n}`, [from, `${from}-1`], to), limits);
        }),
      ),
    );
    expect(results.every((r) => r.stored)).toBe(true);
    const holding = await Promise.all(people.map((who) => nodes[0]!.pending(`${who}-1`, 0, 1000)));
    for (const held of holding) expect(held).toHaveLength((people.length - 1) * ROUNDS);
    // Every device acks everything it holds at once, from both nodes, while receipts are queued.
    const acked = await Promise.all(
      people.map((who, i) => {
        const held = holding[i]!;
        const half = Math.floor(held.length / 2);
        const parts = [held.slice(0, half), held.slice(half)].map((part) => part.map((e) => e.seq));
        return Promise.all(parts.map((part, p) => nodes[(i + p) % 2]!.ack(`${who}-1`, part, 500)));
      }),
    );
    expect(acked.flat().reduce((sum, r) => sum + r.removed, 0)).toBe(people.length * (people.length - 1) * ROUNDS);
    for (const who of people) {
      const receipts = await nodes[1]!.pending(`${who}-1`, 0, 1000);
      expect(receipts.map((e) => e.kind)).toEqual(Array<string>((people.length - 1) * ROUNDS).fill('delivered'));
      expect(new Set(receipts.map((e) => `${e.fromUsername}/${e.messageId}`)).size).toBe(receipts.length);
    }
    expect((await a.pool.query('SELECT sum(messages)::int AS n FROM queue_totals')).rows).toEqual([{ n: 0 }]);
    await close();
    expect(await deadlocks()).toBe(deadlocksBefore);
  });
});
