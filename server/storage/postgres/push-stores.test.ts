// The push and attachment stores' shared checks (push-stores.suite.ts) on PostgreSQL, then what only
// a database shared by several relay nodes can get wrong: two nodes writing at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../tests/helpers.js';
import type { PushMessage } from '../../push/message.js';
import { pushStoresSuite, type PushStores } from '../../../tests/push-stores-suite.js';
import { PgBlobIndex } from './blob-index.js';
import type { PgDatabase } from './database.js';
import { LOCK, lockUntilCommit } from './locks.js';
import { PgPushAttachmentIndex } from './push-attachment-index.js';
import { PgPushCache } from './push-cache.js';
import { postgresNodes } from '../../../tests/postgres-databases.js';
import { PgPushUserStore } from './push-user-store.js';

let nodeA: PgDatabase;
let nodeB: PgDatabase;
let drop: () => Promise<void>;
beforeAll(async () => {
  const opened = await postgresNodes(2);
  [nodeA, nodeB] = opened.dbs as [PgDatabase, PgDatabase];
  drop = opened.drop;
});
afterAll(() => drop?.());

const storesOn = (db: PgDatabase): PushStores => ({
  pushCache: new PgPushCache(db),
  pushUsers: new PgPushUserStore(db),
  blobIndex: new PgBlobIndex(db),
  pushAttachments: new PgPushAttachmentIndex(db),
});

async function emptied(): Promise<void> {
  await nodeA.pool.query('TRUNCATE push_messages, push_tokens, push_users, push_rules, blobs, push_attachments RESTART IDENTITY');
}

pushStoresSuite('PostgreSQL', async () => {
  await emptied();
  return { stores: storesOn(nodeA), close: async () => {} };
});

describe('the PostgreSQL push and blob stores, written by two nodes at once', () => {
  /** Each node's stores, on an emptied database. */
  async function twoNodes(): Promise<[PushStores, PushStores]> {
    await emptied();
    return [storesOn(nodeA), storesOn(nodeB)];
  }

  it('never let one account’s uploads exceed its quota', async () => {
    const [a, b] = await twoNodes();
    const tries = Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).blobIndex.reserve({ id: `b${i}`, owner: 'alice', size: 10, createdAt: i }, 100));
    const outcomes = await Promise.all(tries);
    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'quota_exceeded')).toHaveLength(14);
    expect(await a.blobIndex.usedBytes('alice')).toBe(100);
  });

  it('give one id to one upload, whichever owner asks', async () => {
    const [a, b] = await twoNodes();
    const owners = ['alice', 'bob', 'carol', 'dave'];
    const outcomes = await Promise.all(owners.map((owner, i) => (i % 2 ? a : b).blobIndex.reserve({ id: 'same', owner, size: 1, createdAt: 1 }, 100)));
    expect(outcomes.filter((o) => o === 'reserved')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'exists')).toHaveLength(3);
    const winner = owners[outcomes.indexOf('reserved')];
    expect((await b.blobIndex.get('same'))?.owner).toBe(winner);
  });

  it('never let push attachments exceed the total', async () => {
    const [a, b] = await twoNodes();
    const claims = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).pushAttachments.claim({ id: `f${i}`, size: 10, expires: 100 }, 100)));
    expect(claims.filter(Boolean)).toHaveLength(10);
    expect(await b.pushAttachments.totalBytes()).toBe(100);
  });

  it('leave one user, one rule and one token when both write the same', async () => {
    const [a, b] = await twoNodes();
    await Promise.all([a.pushUsers.savePushUser('phil', 'hash-a', 'user'), b.pushUsers.savePushUser('phil', 'hash-b', 'admin')]);
    expect(['hash-a', 'hash-b']).toContain((await a.pushUsers.pushUser('phil'))?.passwordHash);

    await Promise.all((['read-only', 'deny', 'read-write', 'write-only'] as const).map((p, i) => (i % 2 ? a : b).pushUsers.setPushRule('phil', 'alerts', p)));
    const rules = await a.pushUsers.pushRules('phil');
    expect(rules).toHaveLength(1);
    expect(rules[0]?.topic).toBe('alerts');

    // A token hash is unique: of two nodes adding the same one, one succeeds and the other is told.
    const added = await Promise.allSettled([a.pushUsers.addPushToken('phil', 'tok', 'cli', null), b.pushUsers.addPushToken('phil', 'tok', 'cli', null)]);
    expect(added.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await nodeA.pool.query('SELECT count(*)::int AS n FROM push_tokens')).rows[0]).toEqual({ n: 1 });
  });

  it('make a push stored while another node’s is committing wait for it, so a subscriber skips none', async () => {
    const [a] = await twoNodes();
    const push = (id: string): PushMessage => ({ id, topic: 'ops', time: 10, expires: 100, event: 'message', message: id });
    // Node B midway through storing a push: its row is inserted, not yet committed.
    const nodeBStoring = await nodeB.pool.connect();
    try {
      await nodeBStoring.query('BEGIN');
      await lockUntilCommit(nodeBStoring, LOCK.pushOrder);
      await nodeBStoring.query(`INSERT INTO push_messages (id, topic, time, expires, json) VALUES ('first', 'ops', 10, 100, $1)`, [JSON.stringify(push('first'))]);

      const second = a.pushCache.storePush(push('second'));
      await waitFor(
        async () => (await nodeA.pool.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`)).rowCount === 1,
        10_000,
        'node A to wait for node B',
      );
      // Had "second" been committed now, a subscriber would catch up past it and never see "first".
      expect(await a.pushCache.pushes(['ops'], { fromTime: 0 }, 50, 10)).toEqual([]);
      await nodeBStoring.query('COMMIT');
      await second;
    } finally {
      nodeBStoring.release();
    }
    expect((await a.pushCache.pushes(['ops'], { fromTime: 0 }, 50, 10)).map((p) => p.id)).toEqual(['first', 'second']);
    expect((await a.pushCache.pushes(['ops'], { afterId: 'first' }, 50, 10)).map((p) => p.id)).toEqual(['second']);
  });
});
