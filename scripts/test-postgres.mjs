// npm run test:postgres: the relay's tests again with every test relay on PostgreSQL and Redis
// (WARBLER_TEST_BACKEND=postgres; see bench/postgres.ts), as several nodes run it. The tests of the
// client alone (its history, vault, search, web host) start relays too but do not depend on where
// the relay keeps things, so they run once, in the main pass.
import { spawn } from 'node:child_process';

const CLIENT_ONLY = [
  'tests/integration/encrypted-history.test.ts',
  'tests/integration/vault-service.test.ts',
  'tests/integration/search-service.test.ts',
  'tests/integration/web-host.test.ts',
  'tests/integration/web-files.test.ts',
  'tests/integration/logs.test.ts',
  'tests/integration/relay-migrations.test.ts',
];

const args = ['vitest', 'run', 'tests/integration', 'server', ...CLIENT_ONLY.flatMap((file) => ['--exclude', file]), ...process.argv.slice(2)];
const child = spawn('npx', args, { stdio: 'inherit', env: { ...process.env, WARBLER_TEST_BACKEND: 'postgres' } });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
