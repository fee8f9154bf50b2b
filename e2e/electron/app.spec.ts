// The desktop app itself (runs only where Electron's binary is installed; see playwright.config.ts).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { CLI, startRelay, tempDir, type Running } from '../processes.js';

const root = path.resolve(import.meta.dirname, '../..');
let relay: Running;
let dir: string;

test.beforeAll(async () => {
  dir = tempDir();
  relay = await startRelay(path.join(dir, 'relay'));
});
test.afterAll(async () => relay.stop());

const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });

test('a person registers in the desktop app and chats with a CLI user', async () => {
  const binding = execFileSync(process.execPath, ['scripts/electron-native.mjs'], { cwd: root, encoding: 'utf8' }).trim();
  const app = await electron.launch({
    args: [root],
    cwd: root,
    env: { ...process.env, WARBLER_HOME: path.join(dir, 'home'), WARBLER_SERVER: relay.url, WARBLER_SQLITE_BINDING: binding },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByLabel('Server URL')).toHaveValue(relay.url);
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByText('Signed in as alice')).toBeVisible();
    // The renderer is sandboxed: no Node, no require.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

    cli('--profile', 'bob', '--server', relay.url, 'register', 'bob');
    await page.getByLabel('Username').fill('bob');
    await page.getByRole('button', { name: 'Start chat' }).click();
    const composer = page.getByLabel('Message', { exact: true });
    await composer.fill('Hello from the desktop');
    await composer.press('Enter');
    await expect(page.locator('li.outgoing', { hasText: 'Hello from the desktop' })).toHaveAttribute('data-state', /sent|delivered/);

    expect(cli('--profile', 'bob', 'sync', '--json')).toContain('Hello from the desktop');
    cli('--profile', 'bob', 'send', 'alice', 'Hello from a script');
    await expect(page.getByRole('log', { name: 'Conversation with bob' }).getByText('Hello from a script')).toBeVisible();
  } finally {
    await app.close();
  }
});
