// The reads a node makes per message on PostgreSQL, batched: the queue pages that wake-ups ask for
// and the "whom has this writer not written to yet" of each send. Asked in one turn, they go as one
// statement, and each caller gets its own answer.
import { afterAll, describe, expect, it } from 'vitest';
import { countingQueries, postgresNodes } from '../../../tests/postgres-databases.js';
import { PgPresenceStore } from './presence-store.js';
import { PgQueueStore } from './queue-store.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const LIMITS = { messages: 1000, bytes: 1_000_000 };

describe('PostgreSQL reads asked in one turn', () => {
  it('reads several queues’ pages in one statement, each after its own seq and up to its own page size', async () => {
    const { dbs, drop } = await postgresNodes(1);
    cleanup.push(drop);
    const { db, calls } = countingQueries(dbs[0]!);
    const queues = new PgQueueStore(db);
    for (const [i, id] of ['m1', 'm2', 'm3'].entries()) {
      await queues.storeMessage(
        { messageId: id, fromUsername: 'carol', fromDevice: 'c1', serverTime: 100 + i, copies: ['a1', 'b1'].map((device) => ({ device, owner: device === 'a1' ? 'alice' : 'bob', sealed: `${id}>${device}` })) },
        LIMITS,
      );
    }
    const a1 = await queues.pending('a1', 0, 10);
    expect(a1.map((e) => e.kind === 'message' && e.sealed)).toEqual(['m1>a1', 'm2>a1', 'm3>a1']);

    const before = calls.length;
    const [afterFirst, firstTwo, nobody, all] = await Promise.all([
      queues.pending('a1', a1[0]!.seq, 10),
      queues.pending('b1', 0, 2),
      queues.pending('no-such-device', 0, 10),
      queues.pending('b1', 0, 10),
    ]);
    expect(calls.slice(before)).toEqual(['queue-pending-many']);
    expect(afterFirst.map((e) => e.messageId)).toEqual(['m2', 'm3']);
    expect(firstTwo.map((e) => e.messageId)).toEqual(['m1', 'm2']);
    expect(nobody).toEqual([]);
    expect(all.map((e) => [e.kind, e.messageId, e.fromUsername, e.fromDevice, e.serverTime])).toEqual([
      ['message', 'm1', 'carol', 'c1', 100],
      ['message', 'm2', 'carol', 'c1', 101],
      ['message', 'm3', 'carol', 'c1', 102],
    ]);
  });

  it('answers several writers’ "not written to yet" in one statement', async () => {
    const { dbs, drop } = await postgresNodes(1);
    cleanup.push(drop);
    const { db, calls } = countingQueries(dbs[0]!);
    const presence = new PgPresenceStore(db);
    await presence.addContacts('alice', ['bob', 'carol']);
    await presence.addContacts('bob', ['alice']);

    const before = calls.length;
    const answers = await Promise.all([
      presence.notWrittenTo('alice', ['bob', 'dave', 'carol', 'erin']),
      presence.notWrittenTo('bob', ['carol', 'alice']),
      // Oneself never counts as someone to introduce to.
      presence.notWrittenTo('carol', ['carol', 'alice']),
      presence.notWrittenTo('dave', []),
    ]);
    expect(calls.slice(before)).toEqual(['presence-written-to-many']);
    expect(answers).toEqual([['dave', 'erin'], ['carol'], ['alice'], []]);
  });
});
