// The PostgreSQL schema steps on real databases, each test on an empty one of its own: a new
// database is brought to the last step (once, however many nodes start together), and what each
// step promises holds; a newer database is refused untouched.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaTooNewError } from '../../../../shared/sqlite-migrations.js';
import { freshPostgres } from '../../../../tests/postgres-databases.js';
import { migratePostgres, openPostgresDatabase, type PgDatabase } from '../database.js';
import { messaging } from './001-messaging.js';
import { POSTGRES_MIGRATIONS } from './postgres-migrations.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function emptyDatabase(): Promise<string> {
  const { url, drop } = await freshPostgres();
  cleanup.push(drop);
  return url;
}

async function open(url: string): Promise<PgDatabase> {
  const db = await openPostgresDatabase(url);
  cleanup.push(() => db.close());
  return db;
}

const versionOf = async (db: PgDatabase) => (await db.pool.query<{ version: number }>('SELECT version FROM warbler_schema')).rows.map((r) => r.version);

describe('the PostgreSQL migrations', () => {
  it('bring an empty database to the last version; step 1’s tables keep what the stores rely on', async () => {
    const db = await open(await emptyDatabase());
    expect(POSTGRES_MIGRATIONS[0]).toBe(messaging);
    expect(await versionOf(db)).toEqual([POSTGRES_MIGRATIONS.length]);
    const q = (text: string, values: unknown[] = []) => db.pool.query(text, values);
    await q("INSERT INTO accounts VALUES ('alice', 'account-key', 1)");
    await q("INSERT INTO devices VALUES ('device-a', 'alice', 'certificate', 1)");
    await expect(q("INSERT INTO devices VALUES ('device-x', 'nobody', 'c', 1)")).rejects.toThrow(/foreign key/);
    await expect(q("INSERT INTO devices VALUES ('device-a', 'alice', 'c', 1)")).rejects.toThrow(/duplicate key/);
    const envelope = (kind: string) =>
      q("INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time) VALUES ('device-a', $1, 'm', 'bob', 'device-b', 1) RETURNING seq", [kind]);
    const first = Number((await envelope('message')).rows[0].seq);
    expect(Number((await envelope('delivered')).rows[0].seq)).toBe(first + 1);
    await expect(envelope('typing')).rejects.toThrow(/check constraint/);
    // Times in milliseconds need 64 bits.
    await q("INSERT INTO sent VALUES ('device-a', 'm', $1)", [Date.UTC(2100, 0)]);
    await q("INSERT INTO signed_prekeys VALUES ('device-a', 1, 'spk', 'sig')");
    await q("INSERT INTO one_time_prekeys VALUES ('device-a', 1, 'opk')");
    await q("DELETE FROM devices WHERE identity_key = 'device-a'");
    expect((await q('SELECT (SELECT count(*) FROM signed_prekeys) + (SELECT count(*) FROM one_time_prekeys) AS n')).rows[0].n).toBe('0');
    await expect(q("INSERT INTO queue_totals VALUES ('device-a', -1, 0)")).rejects.toThrow(/check constraint/);
    await q("INSERT INTO relay_identity VALUES (1, 'public', 'secret')");
    await expect(q("INSERT INTO relay_identity VALUES (2, 'public', 'secret')")).rejects.toThrow(/check constraint/);
    // Names are ordered byte by byte, as SQLite orders them.
    await q("INSERT INTO contacts VALUES ('alice', 'b'), ('alice', 'B'), ('alice', 'a')");
    expect((await q("SELECT other FROM contacts WHERE username = 'alice' ORDER BY other")).rows.map((r) => r.other)).toEqual(['B', 'a', 'b']);
  });

  it('do nothing the second time', async () => {
    const url = await emptyDatabase();
    const db = await open(url);
    await db.pool.query("INSERT INTO accounts VALUES ('alice', 'account-key', 1)");
    expect(await migratePostgres(db.pool, POSTGRES_MIGRATIONS, url)).toBe(POSTGRES_MIGRATIONS.length);
    expect(await versionOf(await open(url))).toEqual([POSTGRES_MIGRATIONS.length]);
    expect((await db.pool.query('SELECT username FROM accounts')).rows).toEqual([{ username: 'alice' }]);
  });

  it('run once when several nodes open an empty database together', async () => {
    const url = await emptyDatabase();
    const nodes = await Promise.all([open(url), open(url), open(url)]);
    expect(await versionOf(nodes[0]!)).toEqual([POSTGRES_MIGRATIONS.length]);
  });

  it('refuse a database of a newer relay, and leave it as it is', async () => {
    const url = await emptyDatabase();
    const db = await open(url);
    const newer = POSTGRES_MIGRATIONS.length + 1;
    await db.pool.query('UPDATE warbler_schema SET version = $1', [newer]);
    await db.pool.query("INSERT INTO accounts VALUES ('alice', 'account-key', 1)");
    const refused = openPostgresDatabase(url);
    await expect(refused).rejects.toThrow(SchemaTooNewError);
    await expect(refused).rejects.toMatchObject({ found: newer, known: POSTGRES_MIGRATIONS.length });
    expect(await versionOf(db)).toEqual([newer]);
    expect((await db.pool.query('SELECT count(*) AS n FROM accounts')).rows[0].n).toBe('1');
  });

  it('are numbered 1, 2, … in the order they run', async () => {
    const url = await emptyDatabase();
    const pool = new pg.Pool({ connectionString: url });
    cleanup.push(() => pool.end());
    await expect(migratePostgres(pool, [{ ...POSTGRES_MIGRATIONS[0]!, version: 2 }], url)).rejects.toThrow('numbered 2, expected 1');
  });
});
