// Two people, two browser contexts, two web hosts (one per profile), one relay: a real chat.
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { accountButton } from '../app.js';
import { startRelay, startWebHost, tempDir, type Running } from '../processes.js';

let dir: string;
let relay: Running;
const hosts: Running[] = [];
const contexts: BrowserContext[] = [];

test.beforeAll(async () => {
  dir = tempDir();
  relay = await startRelay(path.join(dir, 'relay'));
});

test.afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});

test.afterAll(async () => {
  for (const host of hosts.splice(0)) await host.stop();
  await relay.stop();
});

/** A page in a browser context of its own, closed after the test. */
async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  return context.newPage();
}

async function openApp(page: Page, profile: string): Promise<void> {
  const host = await startWebHost(path.join(dir, profile), relay.url);
  hosts.push(host);
  await page.goto(`${host.url}&lang=en`);
}

async function register(page: Page, username: string): Promise<void> {
  await expect(page.getByLabel('Server URL')).toHaveValue(relay.url);
  await page.getByLabel('Username').fill(username);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(accountButton(page, username)).toBeVisible();
}

test('two people register, chat both ways, and keep the history after a reload', async ({ browser }) => {
  const alice = await newPage(browser);
  const bob = await newPage(browser);
  const errors: string[] = [];
  for (const page of [alice, bob]) page.on('pageerror', (err) => errors.push(err.message));

  await openApp(alice, 'alice');
  await register(alice, 'alice');
  await openApp(bob, 'bob');
  await register(bob, 'bob');

  // Alice starts a chat with bob and sends with Enter.
  await alice.getByRole('button', { name: 'New chat', exact: true }).click();
  await alice.getByRole('dialog', { name: 'New chat' }).getByLabel('Username').fill('bob');
  await alice.getByRole('button', { name: 'Start chat' }).click();
  await expect(alice.getByRole('heading', { name: 'bob', level: 2 })).toBeVisible();
  const composer = alice.getByLabel('Message', { exact: true });
  await composer.fill('Hello Bob');
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
  const aliceLog = alice.getByRole('log', { name: 'Conversation with bob' });
  await expect(aliceLog.getByText('Hello Bob')).toBeVisible();
  // The day opens with a line of its own, above the first message.
  await expect(aliceLog.locator('li.day-line')).toHaveText('Today');

  // Bob sees a new conversation with one unread message, opens it, and answers with the button.
  await expect(bob.getByLabel('1 unread')).toBeVisible();
  await bob.getByRole('button', { name: /^alice/ }).click();
  const bobLog = bob.getByRole('log', { name: 'Conversation with alice' });
  await expect(bobLog.getByText('Hello Bob')).toBeVisible();
  // What was unread starts under a line of its own.
  await expect(bobLog.locator('li.unread-line')).toHaveText('Unread messages');
  await expect(bobLog.locator('li.unread-line + li')).toContainText('Hello Bob');
  await expect(bob.getByLabel('1 unread')).toHaveCount(0);
  const bobComposer = bob.getByLabel('Message', { exact: true });
  await bobComposer.fill('Hi Alice');
  await bobComposer.press('Shift+Enter');
  await bobComposer.pressSequentially('second line');
  await expect(bobComposer).toHaveValue('Hi Alice\nsecond line');
  await bob.getByRole('button', { name: 'Send', exact: true }).click();

  await expect(aliceLog.getByText(/Hi Alice\s+second line/)).toBeVisible();
  // Bob opened the conversation: Alice's message shows as read on her side.
  await expect(aliceLog.locator('li.outgoing', { hasText: 'Hello Bob' })).toHaveAttribute('data-state', 'read');

  // The history is local and survives a reload.
  await bob.reload();
  await bob.getByRole('button', { name: /^alice/ }).click();
  await expect(bob.getByRole('log', { name: 'Conversation with alice' }).getByText('Hello Bob')).toBeVisible();
  await expect(bob.getByRole('log', { name: 'Conversation with alice' }).getByText(/second line/)).toBeVisible();

  expect(errors).toEqual([]);
});

test('a clear banner while the relay is down, presence unknown, and the message goes out when it returns', async ({ browser }) => {
  for (const host of hosts.splice(0)) await host.stop(); // one process per profile
  const page = await newPage(browser);
  await openApp(page, 'alice'); // registered in the test above
  await expect(accountButton(page, 'alice')).toBeVisible();
  await page.getByRole('button', { name: /^bob/ }).click();
  const bob = await newPage(browser);
  await openApp(bob, 'bob');
  const bobAsSeen = page.locator('[data-presence]');
  await expect(bobAsSeen).toHaveAttribute('data-presence', 'online');

  const port = new URL(relay.url).port;
  await relay.stop();
  await expect(page.getByRole('status').filter({ hasText: /Offline|Connecting/ })).toBeVisible({ timeout: 15_000 });
  // With the relay down nobody's presence is known: bob is not shown online from before.
  await expect(bobAsSeen).toHaveCount(0);

  const composer = page.getByLabel('Message', { exact: true });
  await composer.fill('written while offline');
  await composer.press('Enter');
  const item = page.locator('li.outgoing', { hasText: 'written while offline' });
  await expect(item).toHaveAttribute('data-state', 'sending');

  relay = await startRelay(path.join(dir, 'relay'), Number(port));
  await expect(page.getByRole('status').filter({ hasText: /Offline|Connecting/ })).toHaveCount(0, { timeout: 40_000 });
  await expect(item).toHaveAttribute('data-state', /sent|delivered/);
  await expect(bobAsSeen).toHaveAttribute('data-presence', 'online', { timeout: 40_000 });
});
