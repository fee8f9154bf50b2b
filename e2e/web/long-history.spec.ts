// A long conversation in the app: the page holds only the rows in view (and a few around them),
// the message being read stays where it is as older pages load above it and as new messages
// arrive below, and a reader back at the newest follows new messages again.
import path from 'node:path';
import { expect, type Locator } from '@playwright/test';
import { keep, say, startChat, test } from '../app.js';
import { longMessageId, writeLongHistory } from '../../bench/long-history.js';

const COUNT = 5000;
/** What a page of messages (200) in a 720-pixel window must stay well under: rows in view and around. */
const MAX_ROWS = 60;

// Run in the page (as text: this project's e2e code is typed without the DOM's types).
const TWO_FRAMES = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';

/** Where this row is on screen, and how far the log is scrolled: both hold while the reader's place does. */
async function placeOf(log: Locator, row: Locator): Promise<{ y: number; scrollTop: number }> {
  // Two frames: whatever the last change was has been laid out and painted.
  await log.page().evaluate(TWO_FRAMES);
  const box = await row.boundingBox();
  if (!box) throw new Error('the row is not on the page');
  return { y: box.y, scrollTop: await log.evaluate((el) => el.scrollTop) };
}

test('a conversation of 5,000 messages keeps few rows in the page and the reader in place', async ({ browser, people, workDir }, testInfo) => {
  test.setTimeout(120_000);
  await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(bob, 'alice');
  // Written into alice's history while her web host is stopped, as if received over the years.
  await people.stop('alice');
  await writeLongHistory(path.join(workDir, 'alice'), { me: 'alice', peer: 'bob', count: COUNT, endAt: Date.now() });
  const alice = await people.open(browser, 'alice');
  await alice.getByRole('button', { name: /^bob/ }).click();
  const log = alice.getByRole('log', { name: 'Conversation with bob' });
  const row = (i: number) => log.locator(`li[data-message-id="${longMessageId(i)}"]`);
  const rows = log.locator('li[data-message-id]');

  // Opened at the newest; of the latest page (200 messages) only what is in view and around it is in the page.
  await expect(row(COUNT - 1)).toBeInViewport();
  // Placed: the list has measured the rows around the newest and stopped scrolling itself.
  await expect(log).toHaveAttribute('data-settled', 'true');
  await expect(log.getByRole('button', { name: 'Load earlier messages' })).toBeAttached();
  expect(await rows.count()).toBeLessThan(MAX_ROWS);

  // Scrolled to the top of what is held: the page before it loads above, out of view; the first
  // message held stays in view instead of being pushed down by 200 others.
  const firstHeld = row(COUNT - 200);
  await log.evaluate((el) => (el.scrollTop = 0));
  await expect(firstHeld).toBeInViewport();
  await expect(row(COUNT - 201)).toBeAttached();
  await expect(firstHeld).toBeInViewport();
  await expect(row(COUNT - 400)).not.toBeInViewport();
  expect(await rows.count()).toBeLessThan(MAX_ROWS);

  // A new message while reading back: it is held, the view does not move.
  const before = await placeOf(log, firstHeld);
  await say(bob, 'fresh from bob');
  await expect(alice.getByRole('button', { name: /^bob/ })).toHaveAccessibleDescription('fresh from bob');
  const after = await placeOf(log, firstHeld);
  expect(after.scrollTop).toBe(before.scrollTop);
  expect(Math.abs(after.y - before.y)).toBeLessThan(1);

  // The button back to the newest counts it; the End key goes there too.
  const jump = alice.getByRole('button', { name: /^Jump to the newest messages/ });
  await expect(jump).toHaveAccessibleName('Jump to the newest messages, 1 new');
  await keep(alice, testInfo, 'jump-to-newest');

  // Back at the newest with the keyboard (the log takes focus): the new message is there, and the
  // next one is followed into view.
  await log.focus();
  await alice.keyboard.press('End');
  await expect(log.getByText('fresh from bob')).toBeInViewport();
  await say(bob, 'and one more');
  await expect(log.getByText('and one more')).toBeInViewport();
  expect(await rows.count()).toBeLessThan(MAX_ROWS);
  await expect(jump).toBeHidden();

  // Read back again, then one press of the button: at the newest, and following again.
  await log.evaluate((el) => (el.scrollTop = 0));
  await expect(jump).toHaveAccessibleName('Jump to the newest messages');
  await jump.click();
  await expect(log.getByText('and one more')).toBeInViewport();
  await expect(jump).toBeHidden();
  await say(bob, 'the last word');
  await expect(log.getByText('the last word')).toBeInViewport();
});

test('a conversation with more unread messages than fit opens at the first of them', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(alice, 'bob');
  await say(alice, 'Tell me everything');
  const carol = await people.join(browser, 'carol');
  await startChat(carol, 'alice');
  await say(carol, 'Lunch?');
  // alice looks elsewhere while bob writes at length.
  await alice.getByRole('button', { name: /^carol/ }).click();
  await bob.getByRole('button', { name: /^alice/ }).click();
  for (let i = 1; i <= 30; i++) await say(bob, `Part ${i} of the story`);
  await expect(alice.getByRole('button', { name: /^bob/ })).toHaveAccessibleName(/30 unread/);

  await alice.getByRole('button', { name: /^bob/ }).click();
  const log = alice.getByRole('log', { name: 'Conversation with bob' });
  const line = log.locator('li.unread-line');
  await expect(line).toBeInViewport();
  await expect(log.locator('li.unread-line + li')).toContainText('Part 1 of the story');
  await expect(log.getByText('Part 30 of the story')).not.toBeInViewport();
  await expect(alice.getByRole('button', { name: /^Jump to the newest messages/ })).toBeVisible();
  await keep(alice, testInfo, 'opened-at-unread');
  // The line stays where it is while the reader reads on, and goes when the conversation is opened again.
  await alice.getByRole('button', { name: /^Jump to the newest messages/ }).click();
  await expect(log.getByText('Part 30 of the story')).toBeInViewport();
  await alice.getByRole('button', { name: /^carol/ }).click();
  await alice.getByRole('button', { name: /^bob/ }).click();
  await expect(log.getByText('Part 30 of the story')).toBeInViewport();
  await expect(line).toHaveCount(0);
});
