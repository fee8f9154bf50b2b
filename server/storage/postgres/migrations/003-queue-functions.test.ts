// Migration 003 adds the queue functions to a database made by an earlier relay (step 2): what its
// queues held stays, and is acked, counted and receipted by the functions as before.
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

describe('PostgreSQL migration 003 (queue functions)', () => {
  it('keeps what a step-2 database queued, and acks it with a receipt to the sender', async () => {
    const { url, drop } = await freshPostgres();
    cleanup.push(drop);
    const earlier = new pg.Pool({ connectionString: url, max: 1 });
    await migratePostgres(earlier, POSTGRES_MIGRATIONS.slice(0, 2), url);
    const q = (text: string, values: unknown[] = []) => earlier.query(text, values);
    await q("INSERT INTO accounts VALUES ('alice', 'k', 1), ('bob', 'k', 1)");
    await q("INSERT INTO devices VALUES ('alice-1', 'alice', 'c', 1), ('bob-1', 'bob', 'c', 1), ('bob-2', 'bob', 'c', 2)");
    await q("INSERT INTO queue_totals VALUES ('alice-1', 1, 6)");
    await q("INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed) VALUES ('alice-1', 'message', 'm1', 'bob', 'bob-1', 10, 'sealed')");
    await q("INSERT INTO sent VALUES ('bob-1', 'm1', 10)");
    const before = (await q('SELECT * FROM envelopes ORDER BY seq')).rows;
    await earlier.end();

    const db = await openPostgresDatabase(url);
    cleanup.push(() => db.close());
    expect((await db.pool.query('SELECT version FROM warbler_schema')).rows).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
    expect((await db.pool.query('SELECT * FROM envelopes ORDER BY seq')).rows).toEqual(before);

    const queues = new PgQueueStore(db);
    // The send id stored before the upgrade is still known.
    const repeat = await queues.storeMessage(
      { messageId: 'm1', fromUsername: 'bob', fromDevice: 'bob-1', serverTime: 20, copies: [{ device: 'alice-1', owner: 'alice', sealed: 'again' }] },
      { messages: 10, bytes: 1000 },
    );
    expect(repeat).toEqual({ stored: false, duplicate: true, serverTime: 10 });

    const seq = Number(before[0]!.seq);
    const acked = await queues.ack('alice-1', [seq], 30);
    expect(acked.removed).toBe(1);
    expect(acked.queued.map((r) => [r.device, r.envelope.kind, r.envelope.messageId, r.envelope.fromUsername])).toEqual([
      ['bob-1', 'delivered', 'm1', 'alice'],
      ['bob-2', 'delivered', 'm1', 'alice'],
    ]);
    expect((await db.pool.query("SELECT messages, bytes FROM queue_totals WHERE device = 'alice-1'")).rows).toEqual([{ messages: 0, bytes: '0' }]);
  });
});
