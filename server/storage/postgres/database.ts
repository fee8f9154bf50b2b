// The relay's PostgreSQL database (--database), shared by every node of a relay. Its schema has
// numbered migrations of its own (migrations/), applied at start under an advisory lock, so that
// nodes starting together run each step once; a database newer than this relay is refused.
import pg from 'pg';
import { SchemaTooNewError } from '../../../shared/sqlite-migrations.js';
import { redactUrl } from '../../cluster/redis.js';
import { POSTGRES_MIGRATIONS, type PgMigration } from './migrations/postgres-migrations.js';
import { Reachability } from './reachability.js';

/** Any advisory-lock key will do, as long as every Warbler node uses the same one. */
const MIGRATION_LOCK = 0x57617262; // "Warb"

export interface PgDatabase {
  readonly pool: pg.Pool;
  /** Runs fn in one transaction on one connection: committed when it returns, rolled back when it throws. */
  transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** Whether the server answers now, however long the pool's own queue (the health check asks). */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

export async function openPostgresDatabase(url: string, options: { max?: number } = {}): Promise<PgDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, connectionTimeoutMillis: 5000 });
  // An idle connection that the server drops (a restart) must not take the process down.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool, POSTGRES_MIGRATIONS, url);
  } catch (err) {
    await pool.end();
    if (err instanceof SchemaTooNewError) throw err;
    throw new Error(`could not open the database at ${redactUrl(url)}: ${(err as Error).message}`, { cause: err });
  }
  const reachability = new Reachability(pool, url);
  return {
    pool,
    transaction: (fn) => inTransaction(pool, fn),
    reachable: () => reachability.reachable(),
    close: async () => {
      await reachability.close();
      await pool.end();
    },
  };
}

/** The version the database was at. Every step still to run runs in one transaction with the new number. */
export async function migratePostgres(pool: pg.Pool, migrations: readonly PgMigration[], where: string): Promise<number> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" is numbered ${m.version}, expected ${i + 1}`);
  });
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS warbler_schema (version INTEGER NOT NULL)');
    const row = await client.query<{ version: number }>('SELECT version FROM warbler_schema');
    const before = row.rows[0]?.version ?? 0;
    if (row.rows.length === 0) await client.query('INSERT INTO warbler_schema (version) VALUES (0)');
    if (before > migrations.length) throw new SchemaTooNewError(redactUrl(where), before, migrations.length);
    for (const step of migrations.slice(before)) await step.up(client);
    await client.query('UPDATE warbler_schema SET version = $1', [migrations.length]);
    return before;
  });
}

/** fn on one connection in one transaction: committed when it returns, rolled back when it throws. */
async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A connection that cannot even roll back is broken: released with the error, the pool ends it
  // (and the health check does not count it as an answer).
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollback: Error) => {
      broken = rollback;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
