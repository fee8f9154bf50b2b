// The desktop app itself (runs only where Electron's binary is installed; see playwright.config.ts):
// the web project's scenarios, plus what only the shell does (window state, navigation lock).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { subscribeTopic } from '../app.js';
import { CLI, startRelay, tempDir, type Running } from '../processes.js';

const root = path.resolve(import.meta.dirname, '../..');
let relay: Running;
let dir: string;
let binding: string;

test.beforeAll(async () => {
  dir = tempDir();
  relay = await startRelay(path.join(dir, 'relay'));
  binding = execFileSync(process.execPath, ['scripts/electron-native.mjs'], { cwd: root, encoding: 'utf8' }).trim();
});
test.afterAll(async () => relay.stop());

const cli = (...args: string[]) => execFileSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });

function launch(home: string): Promise<ElectronApplication> {
  return electron.launch({
    args: [root],
    cwd: root,
    env: {
      ...process.env,
      WARBLER_HOME: path.join(dir, home),
      WARBLER_SERVER: relay.url,
      WARBLER_SQLITE_BINDING: binding,
      // A key file instead of the OS keyring: test machines have none.
      WARBLER_PASSPHRASE: 'correct horse battery staple',
    },
  });
}

test('a person registers in the desktop app and chats with a CLI user', async () => {
  const app = await launch('home-chat');
  try {
    const page = await app.firstWindow();
    await expect(page.getByLabel('Server URL')).toHaveValue(relay.url);
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('button', { name: 'Account: alice' })).toBeVisible();
    // The renderer is sandboxed: no Node, no require.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

    cli('--profile', 'bob', '--server', relay.url, 'register', 'bob');
    await page.getByRole('button', { name: 'New chat', exact: true }).click();
    await page.getByRole('dialog', { name: 'New chat' }).getByLabel('Username').fill('bob');
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

test('a push reaches the notification center and the unread count', async () => {
  const app = await launch('home-push');
  try {
    const page = await app.firstWindow();
    await page.getByLabel('Username').fill('carol');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page.getByRole('button', { name: 'Account: carol' })).toBeVisible();
    await page.getByRole('button', { name: /^Notifications/ }).click();
    await subscribeTopic(page, 'nightly');

    const response = await fetch(`${relay.url}/nightly`, { method: 'POST', headers: { Title: 'backup' }, body: 'Backup done' });
    expect(response.status).toBe(200);
    await expect(page.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle())).toMatch(/\(1\)/);
  } finally {
    await app.close();
  }
});

test('the window keeps its size across launches and never navigates away from the app', async () => {
  const first = await launch('home-window');
  const page = await first.firstWindow();
  await first.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.setBounds({ x: 40, y: 30, width: 900, height: 640 }));
  const before = page.url();
  // The page tries to leave for a web address: the main process keeps it on the app.
  await page.evaluate("window.location.href = 'http://127.0.0.1:9/'");
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  await first.close();

  const second = await launch('home-window');
  try {
    await second.firstWindow();
    const bounds = await second.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getBounds());
    expect(bounds?.width).toBe(900);
    expect(bounds?.height).toBe(640);
  } finally {
    await second.close();
  }
});
