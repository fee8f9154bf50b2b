// Migration 004 makes the queue lock a PL/pgSQL function on a database made at step 3: what its
// queues held stays, and sends from two nodes to overlapping queues still take turns (no deadlock,
// each queue in its writers' order).
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgres } from '../../../../tests/postgres-databases.js';
import { migratePostgres, openPostgresDatabase } from '../database.js';
import { PgQueueStore } from '../queue-store.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const LIMITS = { messages: 10_000, bytes: 100_000_000 };

describe('PostgreSQL migration 004 (planned queue locks)', () => {
  it('keeps a step-3 database’s queues; two nodes writing to overlapping queues at once store each message once, in order', async () => {
    const { url, drop } = await freshPostgres();
    cleanup.push(drop);
    const earlier = new pg.Pool({ connectionString: url, max: 1 });
    await migratePostgres(earlier, POSTGRES_MIGRATIONS.slice(0, 3), url);
    const q = (text: string, values: unknown[] = []) => earlier.query(text, values);
    const people = ['p0', 'p1', 'p2', 'p3'];
    for (const [i, who] of people.entries()) {
      await q('INSERT INTO accounts VALUES ($1, $2, 1)', [who, `k${i}`]);
      await q('INSERT INTO devices VALUES ($1, $2, $3, $4)', [`${who}-1`, who, 'c', i]);
    }
    await q("INSERT INTO queue_totals VALUES ('p0-1', 1, 6)");
    await q("INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed) VALUES ('p0-1', 'message', 'old', 'p1', 'p1-1', 10, 'sealed')");
    const before = (await q('SELECT * FROM envelopes ORDER BY seq')).rows;
    await earlier.end();

    const [a, b] = [await openPostgresDatabase(url), await openPostgresDatabase(url)];
    cleanup.push(() => a.close(), () => b.close());
    expect((await a.pool.query('SELECT version FROM warbler_schema')).rows).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
    expect((await a.pool.query("SELECT l.lanname FROM pg_proc AS p JOIN pg_language AS l ON l.oid = p.prolang WHERE p.proname = 'warbler_lock_queues'")).rows).toEqual([
      { lanname: 'plpgsql' },
    ]);
    expect((await a.pool.query('SELECT * FROM envelopes ORDER BY seq')).rows).toEqual(before);

    // Each writer sends one message after another (as a session does) to all the others, from
    // alternating nodes; the writers run at once, so sends lock overlapping queues in both directions.
    const nodes = [new PgQueueStore(a), new PgQueueStore(b)];
    await Promise.all(
      people.map(async (from, f) => {
        for (let n = 0; n < 25; n++) {
          const copies = people.filter((p) => p !== from).map((p) => ({ device: `${p}-1`, owner: p, sealed: `${from}:${n}` }));
          const result = await nodes[(f + n) % 2]!.storeMessage({ messageId: `${from}-${n}`, fromUsername: from, fromDevice: `${from}-1`, serverTime: 100 + n, copies }, LIMITS);
          expect(result.stored).toBe(true);
        }
      }),
    );
    for (const who of people) {
      const queue = (await a.pool.query<{ sealed: string }>("SELECT sealed FROM envelopes WHERE device = $1 AND message_id <> 'old' ORDER BY seq", [`${who}-1`])).rows.map((r) => r.sealed);
      for (const from of people.filter((p) => p !== who)) {
        expect(queue.filter((s) => s.startsWith(`${from}:`))).toEqual(Array.from({ length: 25 }, (_, n) => `${from}:${n}`));
      }
      const totals = (await a.pool.query('SELECT messages FROM queue_totals WHERE device = $1', [`${who}-1`])).rows;
      expect(totals).toEqual([{ messages: 75 + (who === 'p0' ? 1 : 0) }]);
    }
  });
});
