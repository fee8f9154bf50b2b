// For PostgreSQL store tests that keep their pools for the whole file: a fresh database at the
// current schema, opened by several pools as several relay nodes would.
import { freshPostgres } from '../bench/postgres.js';
import { openPostgresDatabase, type PgDatabase } from '../server/storage/postgres/database.js';

/** `nodes` pools on one new database; `drop` closes them and drops it. */
export async function postgresNodes(nodes: number): Promise<{ dbs: PgDatabase[]; drop: () => Promise<void> }> {
  const fresh = await freshPostgres();
  const dbs: PgDatabase[] = [];
  const drop = async () => {
    for (const db of dbs) await db.close();
    await fresh.drop();
  };
  try {
    for (let i = 0; i < nodes; i++) dbs.push(await openPostgresDatabase(fresh.url));
  } catch (err) {
    await drop();
    throw err;
  }
  return { dbs, drop };
}

// Tests under server/ reach the bench's database helpers through here.
export { freshPostgres } from '../bench/postgres.js';
