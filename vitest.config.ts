import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{shared,server,core,desktop,electron,cli,web,tests}/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
