// How a person keeps conversations in the app: pinned on top, archived out of the list (and back
// with a new message), muted, marked unread, and a draft kept across a reload.
import { expect } from '@playwright/test';
import { keep, say, startChat, test } from '../app.js';

test('pin, archive, mute, mark unread and drafts, as the list shows them', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');
  await startChat(bob, 'alice');
  await say(bob, 'from bob');
  await startChat(carol, 'alice');
  await say(carol, 'from carol');
  const list = alice.getByRole('navigation', { name: 'Conversations' });
  const item = (name: string) => list.getByRole('button', { name: new RegExp(`^${name}`) });
  await expect(item('carol')).toBeVisible();
  const menu = async (choice: string) => {
    await alice.getByRole('button', { name: 'Conversation options' }).click();
    await alice.getByRole('menuitem', { name: choice }).click();
  };

  // bob's is older: pinned, it goes on top.
  await expect(list.locator('.conversation-title')).toHaveText(['carol', 'bob']);
  await item('bob').click();
  await menu('Pin');
  await expect(list.locator('.conversation-title')).toHaveText(['bob', 'carol']);
  await expect(item('bob').getByRole('img', { name: 'Pinned' })).toBeVisible();

  // A draft: kept when leaving, shown in the list, there again after a reload.
  await alice.getByLabel('Message', { exact: true }).fill('half a thought for bob');
  await item('carol').click();
  await expect(item('bob')).toHaveAccessibleDescription('Draft: half a thought for bob');

  // Muted and archived: out of the list, and a new message does not bring it back.
  await menu('Mute for 1 hour');
  await expect(item('carol').getByRole('img', { name: 'Muted' })).toBeVisible();
  await menu('Archive');
  await item('bob').click();
  await expect(item('carol')).toHaveCount(0);
  await expect(list.getByRole('button', { name: 'Archived (1)' })).toBeVisible();
  await say(carol, 'still muted');
  await expect(item('carol')).toHaveCount(0);
  await keep(alice, testInfo, 'list-wide-light');
  await list.getByRole('button', { name: 'Archived (1)' }).click();
  await item('carol').click();
  await menu('Unmute');
  await menu('Unarchive');
  await item('bob').click();
  await expect(item('carol')).toBeVisible();

  // Marked unread: a mark in the list until opened.
  await item('carol').click();
  await menu('Mark as unread');
  await expect(item('carol').getByRole('img', { name: 'Marked unread' })).toBeVisible();
  await alice.reload();
  await expect(item('carol').getByRole('img', { name: 'Marked unread' })).toBeVisible();
  await item('bob').click();
  await expect(alice.getByLabel('Message', { exact: true })).toHaveValue('half a thought for bob');
  await item('carol').click();
  await expect(item('carol').getByRole('img', { name: 'Marked unread' })).toHaveCount(0);

  await alice.emulateMedia({ colorScheme: 'dark' });
  await alice.getByRole('button', { name: 'Conversation options' }).click();
  await keep(alice, testInfo, 'menu-wide-dark');
  await alice.keyboard.press('Escape');
  await alice.setViewportSize({ width: 420, height: 800 });
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await expect(alice.getByRole('img', { name: '已置顶' })).toBeVisible();
  await keep(alice, testInfo, 'list-narrow-dark-zh');
});
