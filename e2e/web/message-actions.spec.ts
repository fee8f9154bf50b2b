// What people do to messages in the app: reply with a quote (and go to the quoted message), react
// from the quick picker or with any emoji, edit one's own (its earlier text kept), delete for
// everyone and for oneself — each seen by the other person as it happens.
import { expect, type Locator, type Page } from '@playwright/test';
import { keep, say, startChat, test } from '../app.js';

const logOf = (page: Page, name: string) => page.getByRole('log', { name: `Conversation with ${name}` });

/** The message in the log whose own text (not a quote of it) holds `text`. */
const message = (log: Locator, text: string | RegExp) => log.locator('li.message').filter({ has: log.page().locator('.message-text', { hasText: text }) });

/** The message's toolbar, shown as a person hovering it sees it. */
async function tool(message: Locator, name: string): Promise<void> {
  await message.hover();
  await message.getByRole('toolbar').getByRole('button', { name }).click();
}

test('reply, react, edit and delete reach the other person, in the wide and narrow layouts, light and dark, English and Chinese', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'Dinner on Friday at the noodle place?');
  await say(alice, 'I can book for seven');
  await startChat(bob, 'alice');
  const atBob = logOf(bob, 'alice');
  const atAlice = logOf(alice, 'bob');
  const dinnerAtBob = message(atBob, 'Dinner on Friday');
  await expect(dinnerAtBob).toBeVisible();

  // Reply: the composer shows what is answered; the reply carries its quote to alice.
  await tool(dinnerAtBob, 'Reply');
  await expect(bob.locator('.compose-mode')).toContainText('Replying to alice');
  await expect(bob.getByLabel('Message', { exact: true })).toBeFocused();
  await say(bob, 'Yes! Seven is perfect');
  await expect(bob.locator('.compose-mode')).toHaveCount(0);
  const replyAtAlice = message(atAlice, 'Seven is perfect');
  await expect(replyAtAlice.getByRole('button', { name: 'Reply to a message from You: show it' })).toContainText('Dinner on Friday');

  // React: a quick one from bob, any emoji typed by alice; chips say who.
  await tool(dinnerAtBob, 'React');
  await bob.getByRole('button', { name: 'React with 👍' }).click();

  const dinnerAtAlice = message(atAlice, 'Dinner on Friday');
  await expect(dinnerAtAlice.getByRole('button', { name: '👍 from bob' })).toBeVisible();
  await tool(dinnerAtAlice, 'React');
  await alice.getByRole('textbox', { name: 'Any emoji' }).fill('🍜');
  await alice.getByRole('textbox', { name: 'Any emoji' }).press('Enter');
  await expect(dinnerAtBob.getByRole('button', { name: '🍜 from alice' })).toBeVisible();
  // The same emoji as someone else's: one chip, counted, pressed for the one who chose it.
  await dinnerAtAlice.getByRole('button', { name: '👍 from bob' }).click();
  await expect(dinnerAtBob.getByRole('button', { name: '👍 from You, alice' })).toHaveText('👍2');
  await expect(dinnerAtAlice.getByRole('button', { name: '👍 from bob, You' })).toHaveAttribute('aria-pressed', 'true');

  // Edit: the text comes into the composer; the other side sees "edited" and can show what it was.
  await tool(message(atAlice, 'book for seven'), 'More actions');
  await alice.getByRole('menuitem', { name: 'Edit' }).click();
  const composer = alice.getByLabel('Message', { exact: true });
  await expect(composer).toHaveValue('I can book for seven');
  await composer.fill('I can book for half past seven');
  await keep(alice, testInfo, 'editing-wide-light');
  await composer.press('Enter');
  const editedAtBob = message(atBob, 'half past seven');
  await expect(editedAtBob.getByRole('button', { name: 'edited' })).toBeVisible();
  await editedAtBob.getByRole('button', { name: 'edited' }).click();
  await expect(editedAtBob.getByRole('list', { name: 'Earlier versions' })).toContainText('I can book for seven');
  await keep(bob, testInfo, 'reactions-wide-light');

  // The quote goes to the message it quotes (marked).
  await replyAtAlice.getByRole('button', { name: /Reply to a message/ }).click();
  await expect(atAlice.locator('li[data-found]')).toContainText('Dinner on Friday');

  // Delete for everyone: confirmed first; both sides keep a line saying so.
  await tool(message(atAlice, 'Dinner on Friday'), 'More actions');
  await alice.getByRole('menuitem', { name: 'Delete for everyone' }).click();
  await alice.getByRole('alertdialog').getByRole('button', { name: 'Delete for everyone' }).click();
  await expect(atBob.getByText('This message was deleted')).toBeVisible();
  await expect(atAlice.getByText('This message was deleted')).toBeVisible();
  await expect(atBob.getByText('Dinner on Friday')).toHaveCount(0);
  // The reply's quote no longer holds the text.
  await expect(atAlice.getByText('The quoted message was deleted, or had only files')).toBeVisible();

  // Delete for me: gone here, still there.
  await tool(message(atBob, 'half past seven'), 'More actions');
  await bob.getByRole('menuitem', { name: 'Delete for me' }).click();
  await expect(atBob.getByText('half past seven')).toHaveCount(0);
  await expect(atAlice.getByText('half past seven')).toBeVisible();

  // Looked at: dark, narrow, Chinese, with the picker open.
  await bob.emulateMedia({ colorScheme: 'dark' });
  await tool(message(atBob, 'Seven is perfect'), 'React');
  await keep(bob, testInfo, 'picker-wide-dark');
  await bob.keyboard.press('Escape');
  await bob.setViewportSize({ width: 420, height: 760 });
  await bob.goto(bob.url().replace('lang=en', 'lang=zh-CN'));
  await bob.getByRole('button', { name: /^alice/ }).click();
  const zhLog = bob.getByRole('log');
  await expect(zhLog.getByText('此消息已删除')).toBeVisible();
  await tool(message(zhLog, 'Seven is perfect'), '更多操作');
  await expect(bob.getByRole('menuitem', { name: '为所有人删除' })).toBeVisible();
  await keep(bob, testInfo, 'menu-narrow-dark-zh');
  await bob.emulateMedia({ colorScheme: 'light' });
  await keep(bob, testInfo, 'menu-narrow-light-zh');
});
