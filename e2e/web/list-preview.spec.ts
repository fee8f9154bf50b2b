// The conversation list's preview of an event line (a disappearing-messages timer, a group's
// membership change) is said in the page's language, as the line is in the conversation: never the
// English text core keeps with it.
import { expect, type Page } from '@playwright/test';
import { createGroup, keep, startChat, test } from '../app.js';

const row = (page: Page, list: string, name: RegExp) => page.getByRole('navigation', { name: list }).getByRole('button', { name });

test('a timer line and a group event preview in Chinese, for the one who made them and the others', async ({ browser, people }, testInfo) => {
  test.setTimeout(90_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await people.join(browser, 'carol');
  await startChat(alice, 'bob');
  await alice.getByRole('combobox', { name: 'Disappearing messages' }).selectOption({ label: '1 hour' });
  await createGroup(alice, 'Trip', 'bob, carol');
  await alice.getByRole('button', { name: 'Members', exact: true }).click();
  await alice.getByRole('dialog', { name: 'Members of Trip' }).getByRole('button', { name: 'Remove carol' }).click();
  await alice.keyboard.press('Escape');
  await expect(alice.getByRole('log').locator('li.message-event[data-event="remove"]')).toBeVisible();

  // In English, the one who did it is "You", once: no "You: " before a line that names its actor.
  await expect(row(alice, 'Conversations', /^bob/)).toHaveAccessibleDescription('You set disappearing messages to 1 hour');
  await expect(row(alice, 'Conversations', /^Trip/)).toHaveAccessibleDescription('You removed carol');
  await expect(row(bob, 'Conversations', /^Trip/)).toHaveAccessibleDescription('alice removed carol');

  for (const page of [alice, bob]) await page.goto(page.url().replace('lang=en', 'lang=zh-CN'));
  await expect(row(alice, '会话', /^bob/)).toHaveAccessibleDescription('你 将阅后即焚设为 1小时');
  await expect(row(alice, '会话', /^Trip/)).toHaveAccessibleDescription('你 移除了 carol');
  await expect(row(bob, '会话', /^alice/)).toHaveAccessibleDescription('alice 将阅后即焚设为 1小时');
  await expect(row(bob, '会话', /^Trip/)).toHaveAccessibleDescription('alice 移除了 carol');
  await keep(alice, testInfo, 'preview-zh-light');

  // Lines that arrive while the list is open, from the other side, as bob sees them.
  await row(alice, '会话', /^bob/).click();
  await alice.getByRole('combobox', { name: '阅后即焚' }).selectOption({ label: '关闭' });
  await expect(row(bob, '会话', /^alice/)).toHaveAccessibleDescription('alice 关闭了阅后即焚');
  await row(alice, '会话', /^Trip/).click();
  await alice.getByRole('button', { name: '成员', exact: true }).click();
  await alice.getByLabel('添加成员').fill('carol');
  await alice.getByRole('button', { name: '添加', exact: true }).click();
  await expect(row(bob, '会话', /^Trip/)).toHaveAccessibleDescription('alice 添加了 carol');
  await bob.emulateMedia({ colorScheme: 'dark' });
  await keep(bob, testInfo, 'preview-zh-dark');
  await bob.setViewportSize({ width: 420, height: 720 });
  await keep(bob, testInfo, 'preview-zh-dark-narrow');
});
