// Disappearing messages in the app: the timer chosen in a conversation's header reaches the other
// person as a line; a timed message is marked, and goes from both pages once its time is up.
import { expect, type Page } from '@playwright/test';
import { keep, say, startChat, test } from '../app.js';
import type { WarblerApi } from '../../shared/ipc.js';

const timer = (page: Page) => page.getByRole('combobox', { name: 'Disappearing messages' });

test('a timer set by either side reaches the other; a timed message disappears from both once read', async ({ browser, people }, testInfo) => {
  test.setTimeout(90_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'hi bob');
  await startChat(bob, 'alice');
  const atBob = bob.getByRole('log', { name: 'Conversation with alice' });
  const atAlice = alice.getByRole('log', { name: 'Conversation with bob' });

  await expect(timer(alice)).toHaveValue('');
  await timer(alice).selectOption({ label: '1 hour' });
  await expect(atBob.getByText('alice set disappearing messages to 1 hour')).toBeVisible();
  await expect(atAlice.getByText('You set disappearing messages to 1 hour')).toBeVisible();
  await expect(timer(bob)).toHaveValue(String(3600_000));
  await say(bob, 'this one is timed');
  await expect(atAlice.locator('li.message', { hasText: 'this one is timed' }).getByTitle('Disappears 1 hour after it is read')).toBeVisible();
  await keep(alice, testInfo, 'timer-wide-light');
  await alice.emulateMedia({ colorScheme: 'dark' });
  await keep(alice, testInfo, 'timer-wide-dark');
  await alice.emulateMedia({ colorScheme: 'light' });

  // A short timer (as a script may set): read on bob's open page, the message goes from both.
  await alice.evaluate(async () => {
    const { warbler } = globalThis as unknown as { warbler: WarblerApi };
    await warbler.invoke('conversations:setTimer', { conversationId: 'bob', expiresIn: 2000 });
  });
  await expect(atBob.getByText('alice set disappearing messages to 2 seconds')).toBeVisible();
  await say(alice, 'gone in two seconds');
  await expect(atBob.getByText('gone in two seconds')).toBeVisible();
  await expect(atBob.getByText('gone in two seconds')).toHaveCount(0, { timeout: 15_000 });
  await expect(atAlice.getByText('gone in two seconds')).toHaveCount(0, { timeout: 15_000 });
  // What was written before stays.
  await expect(atBob.getByText('hi bob')).toBeVisible();

  // bob turns it off; in Chinese, narrow.
  await timer(bob).selectOption({ label: 'Off' });
  await expect(atAlice.getByText('bob turned off disappearing messages')).toBeVisible();
  await alice.setViewportSize({ width: 420, height: 760 });
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await alice.getByRole('button', { name: /^bob/ }).click();
  await expect(alice.getByRole('log').getByText('bob 关闭了阅后即焚')).toBeVisible();
  await expect(alice.getByRole('combobox', { name: '阅后即焚' })).toHaveValue('');
  await keep(alice, testInfo, 'timer-narrow-zh');
});
