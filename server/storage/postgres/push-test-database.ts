// For the push and blob stores' tests: a fresh database at schema 2, opened by several pools as
// several relay nodes would. Until migration 001 is in the list the relay runs, step 2 runs here
// after a placeholder for it; once it is, openPostgresDatabase alone brings the schema.
import { freshPostgres } from '../../../tests/postgres.js';
import { migratePostgres, openPostgresDatabase, type PgDatabase } from './database.js';
import { pushAndBlobs } from './migrations/002-push-and-blobs.js';
import type { PgMigration } from './migrations/postgres-migrations.js';

const TEST_MIGRATIONS: readonly PgMigration[] = [{ version: 1, name: 'placeholder for tests', up: async () => {} }, pushAndBlobs];

/** `nodes` pools on one new database with the push and blob tables; `drop` closes them and drops it. */
export async function pushTestDatabases(nodes: number): Promise<{ dbs: PgDatabase[]; drop: () => Promise<void> }> {
  const fresh = await freshPostgres();
  const dbs: PgDatabase[] = [];
  const drop = async () => {
    for (const db of dbs) await db.close();
    await fresh.drop();
  };
  try {
    // All opened before the schema moves on: the relay's (empty) list would call it too new after.
    for (let i = 0; i < nodes; i++) dbs.push(await openPostgresDatabase(fresh.url));
    await migratePostgres(dbs[0]!.pool, TEST_MIGRATIONS, fresh.url);
  } catch (err) {
    await drop();
    throw err;
  }
  return { dbs, drop };
}
