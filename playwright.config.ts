import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig, type Project } from '@playwright/test';
import { CHROMIUM_HELP, findChromium } from './scripts/chromium.mjs';

const require = createRequire(import.meta.url);

const chromium = findChromium();
if (!chromium) {
  // One line before any test runs, rather than the same launch failure once per test.
  console.error(`warbler: ${CHROMIUM_HELP}`);
  process.exit(1);
}

/**
 * The installed Electron binary, or null. Read from the package's path.txt rather than through
 * require('electron'), which would try to download a missing binary on every test run.
 */
function electronBinary(): string | null {
  try {
    const packageDir = path.dirname(require.resolve('electron/package.json'));
    const relative = fs.readFileSync(path.join(packageDir, 'path.txt'), 'utf8').trim();
    const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist'), relative);
    return fs.existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const projects: Project[] = [
  {
    name: 'web',
    testMatch: /web\/.*\.spec\.ts$/,
    use: {
      browserName: 'chromium',
      launchOptions: {
        executablePath: chromium,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          // Voice notes: a fake microphone (a beep every second), granted without a prompt.
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
        ],
      },
    },
  },
];

if (electronBinary()) {
  projects.push({ name: 'electron', testMatch: /electron\/.*\.spec\.ts$/ });
} else if (!process.env.PLAYWRIGHT_QUIET_ELECTRON) {
  process.env.PLAYWRIGHT_QUIET_ELECTRON = '1'; // print once, not once per worker
  console.log("Electron e2e project: NOT RUN — Electron's binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the web project covers the same scenarios.");
}

// `npm run screenshots`: the docs' screenshots, written into docs/ (never part of `npm test`).
if (process.env.WARBLER_SCREENSHOTS) {
  projects.splice(0, projects.length, { ...projects[0]!, name: 'docs', testMatch: /docs\/.*\.spec\.ts$/ });
}

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  // A click or a page load that hangs fails at its own step, well before the test's timeout.
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure', actionTimeout: 15_000, navigationTimeout: 15_000 },
  projects,
});
