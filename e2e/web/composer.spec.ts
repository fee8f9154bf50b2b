// The composer: its emoji picker (search, keyboard, both languages), the choice of what Enter
// does, and the note to self it writes in.
import { expect } from '@playwright/test';
import { keep, openAccountDialog, openNewChat, say, startChat, test } from '../app.js';

test('an emoji is found by name, put at the caret, and sent', async ({ browser, people }, testInfo) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  const composer = alice.getByLabel('Message', { exact: true });
  await composer.fill('Nice work');
  // The caret goes back between the words: the emoji lands there, not at the end.
  await composer.press('ArrowLeft');
  await composer.press('ArrowLeft');
  await composer.press('ArrowLeft');
  await composer.press('ArrowLeft');

  const button = alice.getByRole('button', { name: 'Emoji', exact: true });
  await button.click();
  const picker = alice.getByRole('dialog', { name: 'Choose an emoji' });
  await expect(picker.getByRole('gridcell').first()).toBeVisible();
  await expect(picker.getByLabel('Search emoji')).toBeFocused();
  await keep(alice, testInfo, 'emoji-picker-wide-light');
  await picker.getByLabel('Search emoji').fill('thumbs up');
  await picker.getByRole('gridcell', { name: 'Thumbs up', exact: true }).click();
  await expect(picker).toBeHidden();
  await expect(composer).toBeFocused();
  // Emojibase writes the emoji presentation with its variation selector.
  await expect(composer).toHaveValue(/^Nice 👍\uFE0F?work$/u);
  await composer.press('Enter');
  await bob.getByRole('button', { name: /^alice/ }).click();
  await expect(bob.getByRole('log', { name: 'Conversation with alice' }).getByText(/^Nice 👍\uFE0F?work$/u)).toBeVisible();

  // From the keyboard: Enter picks the first match, Escape closes and gives focus back to the button.
  await button.focus();
  await alice.keyboard.press('Enter');
  await picker.getByLabel('Search emoji').fill('red heart');
  await expect(picker.getByRole('gridcell', { name: 'Red heart', exact: true })).toBeVisible();
  await alice.keyboard.press('Enter');
  await expect(composer).toHaveValue(/^❤\uFE0F?$/u);
  await button.click();
  await expect(picker).toBeVisible();
  await alice.keyboard.press('Escape');
  await expect(picker).toBeHidden();
  await expect(button).toBeFocused();
  // A click elsewhere closes it too, and what was typed stays.
  await button.click();
  await alice.getByRole('heading', { name: 'bob', level: 2 }).click();
  await expect(picker).toBeHidden();
  await expect(composer).toHaveValue(/^❤\uFE0F?$/u);

  // In Chinese, dark and narrow: the picker speaks the UI's language.
  await alice.setViewportSize({ width: 420, height: 800 });
  await alice.emulateMedia({ colorScheme: 'dark' });
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await alice.getByRole('button', { name: /^bob/ }).click();
  await alice.getByRole('button', { name: '表情', exact: true }).click();
  const zhPicker = alice.getByRole('dialog', { name: '选择表情' });
  await zhPicker.getByLabel('搜索表情').fill('爱心');
  await expect(zhPicker.getByRole('gridcell').first()).toBeVisible();
  await keep(alice, testInfo, 'emoji-picker-narrow-dark-zh');
});

test('with "Enter sends" off, Enter starts a new line and Ctrl+Enter sends; the choice is kept', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  const settings = await openAccountDialog(alice, 'Settings');
  const enterSends = settings.getByRole('checkbox', { name: 'Enter sends a message' });
  await expect(enterSends).toBeChecked();
  await enterSends.click();
  await expect(enterSends).not.toBeChecked();
  await alice.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  const composer = alice.getByLabel('Message', { exact: true });
  await expect(composer).toHaveAccessibleDescription('Ctrl+Enter sends, Enter adds a new line');
  await composer.fill('first');
  await composer.press('Enter');
  await composer.pressSequentially('second');
  await expect(composer).toHaveValue('first\nsecond');
  await composer.press('Control+Enter');
  await expect(composer).toHaveValue('');
  await bob.getByRole('button', { name: /^alice/ }).click();
  await expect(bob.getByRole('log', { name: 'Conversation with alice' }).getByText(/first\s+second/)).toBeVisible();

  // Kept across a reload, as every setting is.
  await alice.reload();
  await alice.getByRole('button', { name: /^bob/ }).click();
  await composer.fill('one');
  await composer.press('Enter');
  await expect(composer).toHaveValue('one\n');
});

test('a note to self: opened from the new-chat dialog, named so, kept, with nothing of a chat with someone', async ({ browser, people }, testInfo) => {
  const alice = await people.join(browser, 'alice');
  const dialog = await openNewChat(alice);
  await dialog.getByRole('button', { name: 'Note to self' }).click();
  await expect(dialog).toBeHidden();
  await expect(alice.getByRole('heading', { name: 'Note to self', level: 2 })).toBeVisible();
  await expect(alice.getByText('Only your devices see this')).toBeVisible();
  // No safety number, no presence, no blocking: there is no one else.
  await expect(alice.getByRole('button', { name: 'Safety number' })).toHaveCount(0);
  await alice.getByRole('button', { name: 'Conversation options' }).click();
  await expect(alice.getByRole('menuitem', { name: 'Block' })).toHaveCount(0);
  await alice.keyboard.press('Escape');

  await say(alice, 'passport in the top drawer');
  const list = alice.getByRole('navigation', { name: 'Conversations' });
  await expect(list.getByRole('button', { name: /^Note to self/ })).toBeVisible();
  await keep(alice, testInfo, 'note-to-self-wide-light');
  await alice.reload();
  await list.getByRole('button', { name: /^Note to self/ }).click();
  await expect(alice.getByRole('log', { name: 'Conversation with Note to self' }).getByText('passport in the top drawer')).toBeVisible();
});

test('what is typed as Markdown arrives formatted, and a web address as a link', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'Bring **coffee**, the `map` and *patience*: https://example.org/route.');
  const composer = alice.getByLabel('Message', { exact: true });
  await composer.fill('```');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('npm start');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('```');
  await composer.press('Enter');

  await bob.getByRole('button', { name: /^alice/ }).click();
  const log = bob.getByRole('log', { name: 'Conversation with alice' });
  await expect(log.locator('strong', { hasText: 'coffee' })).toBeVisible();
  await expect(log.locator('em', { hasText: 'patience' })).toBeVisible();
  await expect(log.locator('p code', { hasText: 'map' })).toBeVisible();
  const link = log.getByRole('link', { name: 'https://example.org/route' });
  await expect(link).toHaveAttribute('href', 'https://example.org/route');
  await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(log.locator('pre code')).toHaveText('npm start');
  // The list's preview shows the words, not the marks.
  const row = bob.getByRole('navigation', { name: 'Conversations' }).getByRole('listitem').first();
  await expect(row).toContainText('npm start');
  await expect(row).not.toContainText('```');
});
