// The conversation list as a messenger's: a pencil that opens a dialog to write to someone or make a
// group, rows with avatar, time, unread count and states, and the arrows to move between them.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { createGroup, keep, openNewChat, say, startChat, test } from '../app.js';

const list = (page: Page, name = 'Conversations') => page.getByRole('navigation', { name });
const row = (page: Page, name: string, listName?: string) => list(page, listName).getByRole('button', { name: new RegExp(`^${name}`) });

test('the new-chat dialog keeps the focus, closes on Escape, starts a chat and makes a group', async ({ browser, people }) => {
  test.setTimeout(90_000);
  const alice = await people.join(browser, 'alice');
  await people.join(browser, 'bob');
  await people.join(browser, 'carol');
  const pencil = alice.getByRole('button', { name: 'New chat', exact: true });
  // No form is left in the sidebar: only the header, the search and the list.
  await expect(alice.getByLabel('Username')).toHaveCount(0);

  const dialog = await openNewChat(alice);
  await expect(dialog.getByLabel('Username')).toBeFocused();
  // Tab goes round inside the dialog, never out to the page behind it.
  for (let i = 0; i < 8; i++) {
    await alice.keyboard.press('Tab');
    await expect(dialog.locator(':focus')).toHaveCount(1);
  }
  await alice.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(pencil).toBeFocused();

  // A name that does not exist: the error is said in the dialog, which stays open.
  await pencil.click();
  await dialog.getByLabel('Username').fill('nobody-here');
  await dialog.getByRole('button', { name: 'Start chat' }).click();
  await expect(dialog.getByRole('alert')).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // Started: the dialog goes, the conversation opens with the caret in its composer.
  await startChat(alice, 'bob');
  await expect(alice.getByLabel('Message', { exact: true })).toBeFocused();
  // Opened again, the fields are empty.
  await openNewChat(alice);
  await expect(dialog.getByLabel('Username')).toHaveValue('');
  await alice.keyboard.press('Escape');
  await createGroup(alice, 'Trip', 'bob, carol');
  await expect(row(alice, 'Trip')).toBeVisible();
  await expect(row(alice, 'bob')).toBeVisible();
});

test('rows show time, unread, states and typing; arrows move, Alt+arrows find unread ones', async ({ browser, people }, testInfo) => {
  test.setTimeout(180_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');
  const dave = await people.join(browser, 'dave');
  await startChat(alice, 'carol');
  await say(alice, 'Are we still on for Friday?');
  await startChat(alice, 'bob');
  await say(alice, 'Lunch tomorrow?');
  await createGroup(alice, 'Trip', 'bob, carol');
  await say(alice, 'Tickets are booked');
  const menu = async (choice: string) => {
    await alice.getByRole('button', { name: 'Conversation options' }).click();
    await alice.getByRole('menuitem', { name: choice }).click();
  };
  await row(alice, 'carol').click();
  await menu('Mute always');
  await row(alice, 'bob').click();
  await menu('Pin');
  // Away from every row, so the messages below count as unread.
  await createGroup(alice, 'Book club', 'carol');

  await row(carol, 'alice').click();
  await say(carol, 'Yes, Friday at eight');
  await say(carol, 'I will bring the maps');
  await row(bob, 'Trip').click();
  await say(bob, 'Great, thanks!');
  await startChat(dave, 'alice');
  await say(dave, 'Hi, I got your name from carol');

  // Each row's name: who, what needs attention, when; its description: the last message.
  const time = /\d{1,2}:\d{2}/;
  await expect(row(alice, 'carol')).toHaveAccessibleName(new RegExp(`^carol 2 unread Muted ${time.source}`));
  await expect(row(alice, 'carol')).toHaveAccessibleDescription('I will bring the maps');
  await expect(row(alice, 'Trip')).toHaveAccessibleName(new RegExp(`^Trip 1 unread ${time.source}`));
  await expect(row(alice, 'dave')).toHaveAccessibleName(new RegExp(`^dave Message request 1 unread ${time.source}`));
  await expect(row(alice, 'bob')).toHaveAccessibleName(new RegExp(`^bob Pinned ${time.source}`));
  await expect(row(alice, 'bob')).toHaveAccessibleDescription('You: Lunch tomorrow?');
  await expect(row(alice, 'Book club')).toHaveAccessibleDescription('You created the group “Book club”');

  // bob types to alice: his row says so in place of the preview, and stops when he does.
  await row(bob, 'alice').click();
  await bob.getByLabel('Message', { exact: true }).pressSequentially('thinking about it', { delay: 20 });
  await expect(row(alice, 'bob')).toHaveAccessibleDescription('typing…');
  await keep(alice, testInfo, 'list-wide-light');

  // The list against the rules on names and contrast, with every kind of row in it.
  const axe = await new AxeBuilder({ page: alice }).include('.sidebar').withRules(['label-content-name-mismatch', 'button-name', 'nested-interactive', 'list', 'listitem', 'color-contrast']).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await alice.emulateMedia({ colorScheme: 'dark' });
  await keep(alice, testInfo, 'list-wide-dark');
  await alice.setViewportSize({ width: 420, height: 760 });
  await alice.getByRole('button', { name: 'Back to conversations' }).click();
  await keep(alice, testInfo, 'list-narrow-dark');
  await alice.emulateMedia({ colorScheme: 'light' });
  await keep(alice, testInfo, 'list-narrow-light');
  await alice.setViewportSize({ width: 1280, height: 760 });

  // The keyboard: one row is a Tab stop; the arrows move; Alt+arrows skip to unread ones; Enter opens.
  const order = ['bob', 'dave', 'Trip', 'carol', 'Book club'];
  await expect(list(alice).locator('.conversation-title')).toHaveText(order);
  await row(alice, 'bob').focus();
  await alice.keyboard.press('ArrowDown');
  await expect(row(alice, 'dave')).toBeFocused();
  await alice.keyboard.press('ArrowDown');
  await expect(row(alice, 'Trip')).toBeFocused();
  await alice.keyboard.press('ArrowUp');
  await expect(row(alice, 'dave')).toBeFocused();
  await alice.keyboard.press('End');
  await expect(row(alice, 'Book club')).toBeFocused();
  await alice.keyboard.press('Alt+ArrowUp');
  await expect(row(alice, 'carol')).toBeFocused();
  await alice.keyboard.press('Alt+ArrowUp');
  await expect(row(alice, 'Trip')).toBeFocused();
  await alice.keyboard.press('Home');
  await expect(row(alice, 'bob')).toBeFocused();
  await alice.keyboard.press('Alt+ArrowDown');
  await expect(row(alice, 'dave')).toBeFocused();
  // Only one row is in the Tab order, the focused one.
  await expect(list(alice).locator('button.conversation-item[tabindex="0"]')).toHaveCount(1);
  await alice.keyboard.press('Alt+ArrowDown');
  await alice.keyboard.press('Enter');
  await expect(alice.getByRole('heading', { name: 'Trip', level: 2 })).toBeVisible();
  await expect(row(alice, 'Trip')).toHaveAccessibleName(/^Trip \d/);
  await expect(row(alice, 'Trip')).not.toHaveAccessibleName(/unread/);

  // In Chinese: the same rows, the times and words in Chinese.
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await expect(row(alice, 'carol', '会话')).toHaveAccessibleName(new RegExp(`^carol 2 条未读 已静音 ${time.source}`));
  await expect(alice.getByRole('heading', { name: '聊天', level: 2 })).toBeVisible();
  // Typing anew (cleared first): keys within 3 s of his last "typing" would not say it again, and
  // what was heard before the reload may have run out.
  await bob.getByLabel('Message', { exact: true }).fill('');
  await bob.getByLabel('Message', { exact: true }).pressSequentially('still thinking', { delay: 20 });
  await expect(row(alice, 'bob', '会话')).toHaveAccessibleDescription('正在输入…');
  await keep(alice, testInfo, 'list-wide-zh-light');
  await alice.emulateMedia({ colorScheme: 'dark' });
  await alice.setViewportSize({ width: 420, height: 760 });
  await keep(alice, testInfo, 'list-narrow-zh-dark');
  await alice.getByRole('button', { name: '新聊天', exact: true }).click();
  await expect(alice.getByRole('dialog', { name: '新聊天' })).toBeVisible();
  await keep(alice, testInfo, 'new-chat-zh-dark-narrow');
});
