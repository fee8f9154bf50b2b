// For the PostgreSQL store tests: one database per test file (tests/postgres.ts), emptied before
// each test, with as many pools on it as a test wants nodes.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { freshPostgres } from '../bench/postgres.js';
import { openPostgresDatabase, type PgDatabase } from '../server/storage/postgres/database.js';

/** Registers the hooks; `node()` opens a pool (a relay node) on the file's database, closed after the test. */
export function postgresForTests(): { node: () => Promise<PgDatabase>; empty: () => Promise<void> } {
  let database: Awaited<ReturnType<typeof freshPostgres>> | undefined;
  const open: PgDatabase[] = [];
  beforeAll(async () => {
    database = await freshPostgres();
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((db) => db.close()));
  });
  afterAll(async () => {
    await database?.drop();
  });
  const node = async () => {
    const db = await openPostgresDatabase(database!.url);
    open.push(db);
    return db;
  };
  return {
    node,
    /** Empties every table but the schema version. */
    async empty() {
      const db = await node();
      const tables = await db.pool.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'warbler_schema'",
      );
      await db.pool.query(`TRUNCATE ${tables.rows.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY`);
    },
  };
}
