// The test run's id: PostgreSQL databases made by this run carry it, and go when the run ends.
import { randomBytes } from 'node:crypto';
import { dropRunDatabases } from '../bench/postgres.js';

export default function setup(): () => Promise<void> {
  process.env.WARBLER_TEST_RUN ??= randomBytes(4).toString('hex');
  return async () => {
    try {
      await dropRunDatabases();
    } catch (err) {
      // Tests that needed PostgreSQL have failed already and said why; this only tidies up.
      console.warn(`test teardown: could not drop this run's PostgreSQL databases: ${(err as Error).message}`);
    }
  };
}
