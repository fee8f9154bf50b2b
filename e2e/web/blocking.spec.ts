// Blocking people and message requests in the app: a stranger's first message is a request, with a
// banner to accept, block or delete it; a person blocked from the conversation menu shows nothing
// more until unblocked.
import { expect, type Page } from '@playwright/test';
import { keep, say, startChat, test } from '../app.js';

const listItem = (page: Page, name: string) => page.getByRole('navigation', { name: 'Conversations' }).getByRole('button', { name: new RegExp(`^${name}`) });

test('a request is accepted from its banner, and then is a chat like any other', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(bob, 'alice');
  await say(bob, 'hello, we have not met');

  await expect(listItem(alice, 'bob').getByText('Message request')).toBeVisible();
  await listItem(alice, 'bob').click();
  const banner = alice.getByRole('region', { name: 'Message request' });
  await expect(banner).toContainText('bob is not in your contacts');
  await expect(banner.getByRole('button', { name: 'Accept' })).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Block' })).toBeVisible();
  await expect(banner.getByRole('button', { name: 'Delete' })).toBeVisible();
  // Read here, but bob is not told until alice accepts.
  const bobLog = bob.getByRole('log', { name: 'Conversation with alice' });
  await expect(bobLog.locator('li.outgoing', { hasText: 'hello, we have not met' })).toHaveAttribute('data-state', 'delivered');
  await keep(alice, testInfo, 'request-wide-light');

  await banner.getByRole('button', { name: 'Accept' }).click();
  await expect(banner).toHaveCount(0);
  await expect(listItem(alice, 'bob').getByText('Message request')).toHaveCount(0);
  await expect(bobLog.locator('li.outgoing', { hasText: 'hello, we have not met' })).toHaveAttribute('data-state', 'read');
  await say(alice, 'nice to meet you');
  await expect(bobLog.getByText('nice to meet you')).toBeVisible();

  // A second request, deleted: it leaves the list.
  const carol = await people.join(browser, 'carol');
  await startChat(carol, 'alice');
  await say(carol, 'buy cheap watches');
  await listItem(alice, 'carol').click();
  const carolBanner = alice.getByRole('region', { name: 'Message request' });
  await carolBanner.getByRole('button', { name: 'Delete' }).click();
  await alice.emulateMedia({ colorScheme: 'dark' });
  await keep(alice, testInfo, 'request-delete-wide-dark');
  await carolBanner.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click();
  await expect(listItem(alice, 'carol')).toHaveCount(0);

  await alice.setViewportSize({ width: 420, height: 800 });
  await say(carol, 'really cheap');
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await expect(alice.getByRole('navigation', { name: '会话' }).getByText('消息请求')).toBeVisible();
  await alice.getByRole('navigation', { name: '会话' }).getByRole('button', { name: /^carol/ }).click();
  await expect(alice.getByRole('region', { name: '消息请求' }).getByRole('button', { name: '接受' })).toBeVisible();
  await keep(alice, testInfo, 'request-narrow-dark-zh');
});

test('blocked from the menu, a person shows nothing more until unblocked', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');
  await startChat(carol, 'alice');
  await say(carol, 'hello alice');
  await startChat(alice, 'bob');
  await say(alice, 'hi bob');
  await startChat(bob, 'alice');
  await say(bob, 'hi alice');
  const aliceLog = alice.getByRole('log', { name: 'Conversation with bob' });
  await expect(aliceLog.getByText('hi alice')).toBeVisible();

  await alice.getByRole('button', { name: 'Conversation options' }).click();
  await alice.getByRole('menuitem', { name: 'Block' }).click();
  const banner = alice.getByRole('region', { name: 'Blocked' });
  await expect(banner).toContainText('You blocked bob');
  await expect(alice.getByLabel('Message', { exact: true })).toHaveCount(0);
  await expect(listItem(alice, 'bob').getByRole('img', { name: 'Blocked' })).toBeVisible();
  // Their presence is no longer shown.
  await expect(alice.locator('.conversation-heading')).toContainText('offline');
  await keep(alice, testInfo, 'blocked-wide-light');

  // Bob writes while alice reads carol's chat, then carol writes: once carol's message is here,
  // bob's has come and gone, with no notification and nothing unread.
  await listItem(alice, 'carol').click();
  await say(bob, 'can you see this?');
  await say(carol, 'after bob');
  await expect(alice.getByRole('log', { name: 'Conversation with carol' }).getByText('after bob')).toBeVisible();
  await expect(alice.getByRole('group', { name: 'bob' })).toHaveCount(0);
  await expect(listItem(alice, 'bob').getByLabel(/unread/)).toHaveCount(0);
  await expect(listItem(alice, 'bob')).toHaveAccessibleDescription('hi alice');
  await listItem(alice, 'bob').click();
  await expect(aliceLog.getByText('can you see this?')).toHaveCount(0);
  await alice.emulateMedia({ colorScheme: 'dark' });
  await keep(alice, testInfo, 'blocked-wide-dark');

  await alice.setViewportSize({ width: 420, height: 800 });
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await alice.getByRole('navigation', { name: '会话' }).getByRole('button', { name: /^bob/ }).click();
  await expect(alice.getByRole('region', { name: '已屏蔽' })).toContainText('你已屏蔽 bob');
  await keep(alice, testInfo, 'blocked-narrow-dark-zh');
  await alice.getByRole('region', { name: '已屏蔽' }).getByRole('button', { name: '解除屏蔽' }).click();
  await expect(alice.getByRole('region', { name: '已屏蔽' })).toHaveCount(0);
  await say(bob, 'visible again');
  await expect(alice.getByRole('log').getByText('visible again')).toBeVisible();
});
