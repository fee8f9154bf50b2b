// A relay whose operator keeps short queues: a person away long enough fills theirs. The sender
// is told plainly, and the person who was away is told, on coming back, what did not reach them.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test as base, type Locator, type Page, type TestInfo } from '@playwright/test';
import { keep, People, Relay, say, startChat } from '../app.js';
import { tempDir } from '../processes.js';

const test = base.extend<{ relay: Relay; people: People }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a pattern
  relay: async ({}, use) => {
    const relay = new Relay(path.join(tempDir(), 'relay'), ['--queue-messages', '2']);
    await relay.start();
    await use(relay);
    await relay.stop();
  },
  people: async ({ relay }, use) => {
    const people = new People(fs.mkdtempSync(path.join(path.dirname(relay.dataDir), 'people-')), () => relay.url);
    await use(people);
    await people.stopAll();
  },
});

/** The notice stays in view, light and dark, wide and narrow; each layout kept as a screenshot. */
async function keepLayouts(page: Page, notice: Locator, testInfo: TestInfo, tag: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    for (const width of [1280, 420]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 720 });
      await expect(notice).toBeInViewport();
      await keep(page, testInfo, `${tag}-${scheme}-${width}`);
    }
  }
}

test('a full queue: the sender is told why, the one who was away is told what missed them', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'see you tomorrow');
  // Bob's device has it (its queue on the relay is empty again) before he goes away.
  await expect(alice.locator('li[data-state="delivered"]').filter({ hasText: 'see you tomorrow' })).toHaveCount(1);
  await expect(bob.getByRole('button', { name: /^alice/ })).toBeVisible();
  await people.stop('bob');

  await say(alice, 'one');
  await say(alice, 'two');
  const composer = alice.getByLabel('Message', { exact: true });
  await composer.fill('three');
  await composer.press('Enter');
  await expect(alice.getByText('The relay holds as many messages for bob as it may. Try again once they have been online.')).toBeVisible();
  // The text comes back to the composer, to send again later.
  await expect(composer).toHaveValue('three');
  await keep(alice, testInfo, 'sender-en-light-wide');

  const back = await people.open(browser, 'bob');
  const notice = back.getByRole('status').filter({ hasText: 'The relay refused 1 message for this device while its queue was full' });
  await expect(notice).toBeVisible();
  await back.getByRole('button', { name: /^alice/ }).click();
  await expect(back.getByRole('log', { name: 'Conversation with alice' }).getByText('two')).toBeVisible();
  await keepLayouts(back, notice, testInfo, 'away-en');
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});

test('the same in Chinese', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await people.stop('bob');
  for (const text of ['一', '二', '三']) {
    const composer = alice.getByLabel('Message', { exact: true });
    await composer.fill(text);
    await composer.press('Enter');
  }
  await expect(alice.getByText('The relay holds as many messages for bob as it may.', { exact: false })).toBeVisible();
  const back = await people.open(browser, 'bob', 'zh-CN');
  const notice = back.getByRole('status').filter({ hasText: '队列已满' });
  await expect(notice).toBeVisible();
  await keepLayouts(back, notice, testInfo, 'away-zh');
});
