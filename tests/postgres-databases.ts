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

/** The same database, its pool noting the name of every statement it is asked to run, in order. */
export function countingQueries(db: PgDatabase): { db: PgDatabase; calls: string[] } {
  const calls: string[] = [];
  const pool = new Proxy(db.pool, {
    get(target, key) {
      if (key === 'query') {
        return (query: { name?: string }, ...rest: unknown[]) => {
          calls.push(query.name ?? '(unnamed)');
          return (target.query as (...args: unknown[]) => unknown)(query, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: { ...db, pool }, calls };
}

// Tests under server/ reach the bench's database helpers through here.
export { freshPostgres, withClient } from '../bench/postgres.js';
