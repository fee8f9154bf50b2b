// @mentions in a group: suggested while typing, marked in the message, and a notification for the
// person mentioned even though they muted the group.
import { expect } from '@playwright/test';
import { createGroup, keep, say, startChat, test } from '../app.js';

test('a mention is suggested, marked, and notifies the mentioned person in a muted group', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  // alice is a member who stays out of it.
  await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');
  await createGroup(bob, 'Trip', 'alice, carol');
  await say(bob, 'Trip planning here');
  const carolsList = carol.getByRole('navigation', { name: 'Conversations' });
  await carolsList.getByRole('button', { name: /^Trip/ }).click();
  await carol.getByRole('button', { name: 'Conversation options' }).click();
  await carol.getByRole('menuitem', { name: 'Mute always' }).click();
  await expect(carolsList.getByRole('button', { name: /^Trip/ }).getByRole('img', { name: 'Muted' })).toBeVisible();
  // Away from the group, as a person whose notifications matter would be.
  await startChat(carol, 'alice');

  const toasts = carol.getByRole('region', { name: 'Notifications' });
  await say(bob, 'nobody in particular');
  // The muted group's message came (it is unread) and notified nobody.
  await expect(carolsList.getByRole('button', { name: 'Trip 1 unread' })).toBeVisible();
  await expect(toasts.getByRole('group')).toHaveCount(0);

  const composer = bob.getByLabel('Message', { exact: true });
  await composer.fill('look @ca');
  const suggestions = bob.getByRole('listbox', { name: 'People to mention' });
  await expect(suggestions.getByRole('option')).toHaveText(['@carol']);
  await keep(bob, testInfo, 'suggestions-wide-light');
  await composer.press('Enter');
  await expect(composer).toHaveValue('look @carol ');
  await composer.pressSequentially('at this');
  await composer.press('Enter');
  await expect(toasts.getByRole('group', { name: /Trip/ })).toContainText('look @carol at this');

  await carolsList.getByRole('button', { name: /^Trip/ }).click();
  const mine = carol.getByRole('log', { name: 'Conversation with Trip' }).locator('.mention[data-me]');
  await expect(mine).toHaveText('@carol');
  await carol.emulateMedia({ colorScheme: 'dark' });
  await keep(carol, testInfo, 'mentioned-wide-dark');

  // In Chinese, narrow: the suggestions as bob sees them.
  await bob.setViewportSize({ width: 420, height: 800 });
  await bob.goto(bob.url().replace('lang=en', 'lang=zh-CN'));
  await bob.getByRole('button', { name: /^Trip/ }).click();
  await bob.getByLabel('消息', { exact: true }).fill('@a');
  await expect(bob.getByRole('listbox', { name: '可提及的成员' }).getByRole('option')).toHaveText(['@alice']);
  await keep(bob, testInfo, 'suggestions-narrow-zh');
});
