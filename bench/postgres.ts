// PostgreSQL databases of their own for tests and bench runs, on the server CI and this machine
// run (WARBLER_TEST_POSTGRES, default postgres://postgres@127.0.0.1:5432/test). Every name starts
// with the run's id (WARBLER_TEST_RUN, set by the test run's global setup), so that the run can
// drop what it made, and only that, when it ends.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.WARBLER_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.WARBLER_TEST_REDIS ?? 'redis://127.0.0.1:6379';

const runPrefix = (): string => `warbler_test_${(process.env.WARBLER_TEST_RUN ?? 'adhoc').replace(/[^a-z0-9]/g, '')}_`;

/** One connection to the database at `url` for `use`, closed after it. */
export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const admin = <T>(use: (client: pg.Client) => Promise<T>): Promise<T> => withClient(ADMIN_URL, use);

const urlOf = (name: string): string => {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
};

async function create(name: string): Promise<void> {
  await admin(async (client) => {
    try {
      await client.query(`CREATE DATABASE ${name}`);
    } catch (err) {
      // Made already (a relay started again on the same data folder, or another node of it at the
      // same moment, which PostgreSQL reports as a unique violation): used as it is.
      const code = (err as { code?: string }).code;
      if (code !== '42P04' && code !== '23505') throw err;
    }
  });
}

async function drop(name: string): Promise<void> {
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** A new empty database; returns its URL and the function that drops it. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${runPrefix()}${randomBytes(6).toString('hex')}`;
  await create(name);
  return { url: urlOf(name), drop: () => drop(name) };
}

/**
 * Under WARBLER_TEST_BACKEND=postgres, the back end of a test relay with this data folder: its own
 * database (the same one each time that folder's relay starts again) and the test Redis. Otherwise
 * undefined: the relay keeps its SQLite file in the folder.
 */
export async function testBackendFor(dataDir: string): Promise<{ database: string; redis: string } | undefined> {
  if (process.env.WARBLER_TEST_BACKEND !== 'postgres') return undefined;
  const name = `${runPrefix()}${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  await create(name);
  return { database: urlOf(name), redis: REDIS_URL };
}

/** Drops every database this run made (the run's global teardown). */
export async function dropRunDatabases(): Promise<number> {
  return admin(async (client) => {
    const names = (await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${runPrefix()}%`])).rows;
    for (const { datname } of names) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    return names.length;
  });
}
