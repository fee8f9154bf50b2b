// Notifications as a person meets them: a message from someone shows a notification whose click
// opens that conversation; none for the conversation on screen; collapsed per conversation;
// quiet under do not disturb; the privacy setting hides the text. The web host shows them in the
// page; the desktop app routes the same decisions to the OS (desktop/notifier.ts).
import { expect, type Page } from '@playwright/test';
import { keep, openAccountDialog, say, startChat, subscribeTopic, test } from '../app.js';

/** The notification center, open on a new subscription to "ops". */
async function subscribeToOps(page: Page) {
  await page.getByRole('button', { name: /^Notifications/ }).click();
  return subscribeTopic(page, 'ops');
}

function toasts(page: Page) {
  return page.getByRole('region', { name: 'Notifications' });
}

async function openSettings(page: Page) {
  const panel = await openAccountDialog(page, 'Settings');
  await expect(panel).toBeVisible();
  return panel;
}

test('a notification click opens the conversation; none for the conversation in view; collapsed per conversation', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');
  await startChat(bob, 'alice');
  await startChat(carol, 'alice');

  await say(bob, 'Lunch at noon?');
  const fromBob = toasts(alice).getByRole('group', { name: 'bob', exact: true });
  await expect(fromBob).toContainText('Lunch at noon?');
  await say(bob, 'Or one?');
  // One notification per conversation, counting.
  await expect(toasts(alice).getByRole('group', { name: 'bob · 2 new messages' })).toContainText('Or one?');
  await expect(fromBob).toHaveCount(0);

  await toasts(alice).getByRole('button', { name: /^Notification: bob · 2 new messages/ }).click();
  const log = alice.getByRole('log', { name: 'Conversation with bob' });
  await expect(log.getByText('Or one?')).toBeVisible();
  await expect(toasts(alice).getByRole('group')).toHaveCount(0);

  // Bob's conversation is on screen: his next message needs no notification; carol's does.
  await say(bob, 'See you there');
  await expect(log.getByText('See you there')).toBeVisible();
  await say(carol, 'Call me');
  await expect(toasts(alice).getByRole('group', { name: 'carol', exact: true })).toContainText('Call me');
  await expect(toasts(alice).getByRole('group', { name: /^bob/ })).toHaveCount(0);

  // Reading carol's conversation takes her notification away.
  await alice.getByRole('button', { name: /^carol Message request 1 unread/ }).click();
  await expect(toasts(alice).getByRole('group', { name: 'carol', exact: true })).toHaveCount(0);
});

test('do not disturb keeps notifications away; the privacy setting hides names and text', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(bob, 'alice');

  const settings = await openSettings(alice);
  await settings.getByRole('button', { name: 'Quiet for 1 hour' }).click();
  await expect(settings.getByText('Do not disturb is on.')).toBeVisible();
  await say(bob, 'Are you there?');
  // The message arrives (the unread count says so) but interrupts no one.
  await expect(alice.getByLabel('1 unread')).toBeVisible();
  await expect(toasts(alice).getByRole('group')).toHaveCount(0);

  await settings.getByRole('button', { name: 'Turn off do not disturb' }).click();
  await expect(settings.getByText('Do not disturb is off.')).toBeVisible();
  await settings.getByLabel('Notifications show').selectOption({ label: 'Neither name nor message' });
  await say(bob, 'The door code is 4711');
  const toast = toasts(alice).getByRole('group', { name: 'Warbler' });
  await expect(toast).toContainText('New message');
  await expect(toasts(alice)).not.toContainText('4711');
  await expect(toasts(alice)).not.toContainText('bob');

  // Settings are kept: after a reload the choice is still there.
  await alice.reload();
  const again = await openSettings(alice);
  await expect(again.getByLabel('Notifications show')).toHaveValue('nothing');
});

test('a push notifies from the priority its topic asks for; a click opens the center on it', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const center = await subscribeToOps(alice);
  await center.getByRole('button', { name: 'Settings for ops' }).click();
  const sheet = alice.getByRole('dialog', { name: 'Settings for ops' });
  await sheet.getByLabel('Notify for ops').selectOption({ label: 'high priority and up' });
  await expect(sheet.getByLabel('Notify for ops')).toHaveValue('4');
  await alice.keyboard.press('Escape');
  await expect(sheet).toHaveCount(0);
  await expect(center.getByRole('button', { name: 'Settings for ops' })).toBeFocused();
  await alice.getByRole('button', { name: 'Chats' }).click();
  await expect(center).toHaveCount(0);

  const publish = async (body: string, priority: string) => {
    const response = await fetch(`${people.relay}/ops`, { method: 'POST', headers: { Title: body, Priority: priority }, body });
    expect(response.status).toBe(200);
  };
  await publish('disk at 70%', 'default');
  await expect(alice.getByRole('button', { name: 'Notifications, 1 unread' })).toBeVisible();
  await expect(toasts(alice).getByRole('group')).toHaveCount(0);

  await publish('disk at 95%', 'high');
  const toast = toasts(alice).getByRole('group', { name: 'disk at 95%' });
  await expect(toast).toBeVisible();
  await toast.getByRole('button', { name: /^Notification: High priority disk at 95%/ }).click();
  await expect(center).toBeVisible();
  await expect(center.locator('[data-push-id]', { hasText: 'disk at 95%' })).toBeFocused();
});

test('toasts stack three at most, urgent first in its colour, and count the rest', async ({ browser, people }, testInfo) => {
  const alice = await people.join(browser, 'alice');
  await subscribeToOps(alice);
  await alice.getByRole('button', { name: 'Chats' }).click();
  // The page's timers wait for the test: toasts leave after ten seconds, the urgent one stays.
  await alice.clock.install();

  const publish = async (title: string, priority: string) => {
    const response = await fetch(`${people.relay}/ops`, { method: 'POST', headers: { Title: title, Priority: priority }, body: `${title} body` });
    expect(response.status).toBe(200);
  };
  await publish('database down', 'urgent');
  for (const n of [1, 2, 3, 4]) await publish(`build ${n} done`, n === 4 ? 'high' : 'default');
  const region = toasts(alice);
  await expect(region.getByText('and 2 more')).toBeVisible();
  await expect(region.getByRole('group')).toHaveCount(3);
  // The urgent one first, though the oldest; then the newest.
  await expect(region.getByRole('group')).toHaveText([/database down/, /build 4 done/, /build 3 done/]);
  await expect(region.getByRole('group').first()).toHaveAttribute('data-priority', 'max');
  await expect(region.getByRole('group').first()).toContainText('Urgent');
  await expect(region.getByRole('group').nth(1)).toContainText('High');
  const box = await region.boundingBox();
  const list = await alice.getByRole('navigation', { name: 'Conversations' }).boundingBox();
  // Top right, clear of the conversation list and the rail.
  expect(box!.x).toBeGreaterThan(list!.x + list!.width);
  await keep(alice, testInfo, 'toasts-wide-light');
  await alice.emulateMedia({ colorScheme: 'dark' });
  await keep(alice, testInfo, 'toasts-wide-dark');

  // One dismissed: the next comes up from the count.
  await region.getByRole('button', { name: 'Dismiss build 4 done' }).click();
  await expect(region.getByText('and 1 more')).toBeVisible();
  await expect(region.getByRole('group')).toHaveText([/database down/, /build 3 done/, /build 2 done/]);
  await alice.clock.runFor(11_000);
  await expect(region.getByRole('group')).toHaveText([/database down/]);
  await expect(region.getByText(/more/)).toHaveCount(0);
  await publish('build 5 done', 'default');
  await publish('build 6 done', 'default');
  await publish('build 7 done', 'default');
  await expect(region.getByText('and 1 more')).toBeVisible();
  await region.getByRole('button', { name: 'Dismiss all' }).click();
  await expect(region.getByRole('group')).toHaveCount(0);
  await expect(region.getByText(/more/)).toHaveCount(0);
});
