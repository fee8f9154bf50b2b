// Forwarding in the app: a message with a photo is forwarded from its menu to another person, who
// sees it marked forwarded with the photo; the search box's "with files" filter keeps to messages
// that carry files; a chat is deleted from its menu. Looked at wide and narrow, light and dark, in
// English and Chinese.
import { expect, type Locator, type Page } from '@playwright/test';
import sharp from 'sharp';
import { keep, say, startChat, test } from '../app.js';

const photo = () => sharp({ create: { width: 120, height: 80, channels: 3, background: '#0f766e' } }).png().toBuffer();

const logOf = (page: Page, name: string) => page.getByRole('log', { name: `Conversation with ${name}` });

/** The photo in the message has loaded: fetched, verified and decrypted by that person's host. */
const photoShown = (message: Locator) =>
  expect.poll(() => message.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(120);

const message = (log: Locator, text: string) => log.locator('li.message').filter({ has: log.page().locator('.message-text', { hasText: text }) });

async function openMenu(message: Locator, name = 'More actions'): Promise<void> {
  await message.hover();
  await message.getByRole('toolbar').getByRole('button', { name }).click();
}

test('a message with a photo is forwarded to someone else, marked forwarded; search keeps to messages with files', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');
  const errors: string[] = [];
  for (const page of [alice, bob, carol]) page.on('pageerror', (err) => errors.push(err.message));
  await startChat(carol, 'bob');
  await say(carol, 'hi bob');
  await startChat(alice, 'bob');
  await alice.getByTestId('attach-input').setInputFiles({ name: 'harbour.png', mimeType: 'image/png', buffer: await photo() });
  await alice.getByLabel('Message', { exact: true }).fill('the harbour at dusk');
  const send = alice.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await say(alice, 'the harbour was quiet');

  await bob.getByRole('button', { name: /^alice/ }).click();
  const atBob = logOf(bob, 'alice');
  const original = message(atBob, 'the harbour at dusk');
  await photoShown(original);

  // From the message's menu: a dialog of conversations, filtered as one types; each is sent to on its own.
  await openMenu(original);
  await bob.getByRole('menuitem', { name: 'Forward' }).click();
  const dialog = bob.getByRole('dialog', { name: 'Forward message' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('the harbour at dusk')).toBeVisible();
  await expect(dialog.getByRole('listitem')).toHaveCount(2);
  await dialog.getByRole('searchbox', { name: 'Find a conversation' }).fill('car');
  await expect(dialog.getByRole('listitem')).toHaveCount(1);
  await keep(bob, testInfo, 'forward-dialog-wide-light');
  await dialog.getByRole('button', { name: 'Forward to carol' }).click();
  await expect(dialog.getByRole('button', { name: 'Forwarded to carol' })).toContainText('Sent');
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toHaveCount(0);

  await carol.getByRole('button', { name: /^bob/ }).click();
  const atCarol = logOf(carol, 'bob');
  const copy = message(atCarol, 'the harbour at dusk');
  await expect(copy.getByText('Forwarded')).toBeVisible();
  await photoShown(copy);
  await keep(carol, testInfo, 'forwarded-wide-light');

  // Search with the files filter: only the message with the photo, of the two that hold the word.
  const box = bob.getByRole('searchbox', { name: 'Search messages' });
  await box.fill('harbour');
  const results = bob.getByRole('navigation', { name: 'Search results' });
  await expect(results.locator('.search-hit')).toHaveCount(3);
  await bob.getByRole('button', { name: 'Only messages with files' }).click();
  await expect(box).toHaveValue('harbour has:file');
  await expect(bob.getByRole('button', { name: 'Only messages with files' })).toHaveAttribute('aria-pressed', 'true');
  await expect(results.locator('.search-hit')).toHaveCount(2);
  await expect(results.locator('.search-hit', { hasText: 'the harbour was quiet' })).toHaveCount(0);
  await keep(bob, testInfo, 'search-files-wide-light');
  await box.press('Escape');

  // Looked at dark, narrow and in Chinese, the dialog open.
  await bob.emulateMedia({ colorScheme: 'dark' });
  await bob.setViewportSize({ width: 420, height: 760 });
  await bob.goto(bob.url().replace('lang=en', 'lang=zh-CN'));
  await bob.getByRole('button', { name: /^alice/ }).click();
  const zhLog = bob.getByRole('log');
  await openMenu(message(zhLog, 'the harbour at dusk'), '更多操作');
  await bob.getByRole('menuitem', { name: '转发' }).click();
  const zhDialog = bob.getByRole('dialog', { name: '转发消息' });
  await expect(zhDialog.getByRole('button', { name: '转发给 carol' })).toBeVisible();
  await keep(bob, testInfo, 'forward-dialog-narrow-dark-zh');
  await zhDialog.press('Escape');
  await expect(zhDialog).toHaveCount(0);
  await bob.emulateMedia({ colorScheme: 'light' });
  await carol.emulateMedia({ colorScheme: 'dark' });
  await keep(carol, testInfo, 'forwarded-wide-dark');

  // carol deletes the chat from her device, once she has confirmed it.
  await carol.getByRole('button', { name: 'Conversation options' }).click();
  await carol.getByRole('menuitem', { name: 'Delete chat' }).click();
  const confirm = carol.getByRole('alertdialog', { name: 'Delete chat' });
  await expect(confirm).toContainText('Delete your chat with bob');
  await keep(carol, testInfo, 'delete-chat-wide-dark');
  await confirm.getByRole('button', { name: 'Delete chat' }).click();
  await expect(carol.getByRole('button', { name: /^bob/ })).toHaveCount(0);
  await expect(carol.getByRole('log')).toHaveCount(0);
  expect(errors).toEqual([]);
});
