// A PostgreSQL database of its own for each test or bench run that needs one, on the server CI and this
// machine run (WARBLER_TEST_POSTGRES, default postgres://postgres@127.0.0.1:5432/test): created
// empty, dropped after the test.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.WARBLER_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A new empty database; returns its URL and the function that drops it. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `warbler_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
