// The app's frame holds still: the page never grows past the window (each area scrolls within
// itself), and every control the stylesheet lays out is there to see and click.
import { expect, type Page } from '@playwright/test';
import { say, startChat, test } from '../app.js';

// Run in the page (as text: this project's e2e code is typed without the DOM's types).
const PAGE_SCROLL = `({
  height: document.documentElement.scrollHeight,
  width: document.documentElement.scrollWidth,
  windowHeight: window.innerHeight,
  windowWidth: window.innerWidth,
  y: window.scrollY,
})`;

async function expectPageFitsWindow(page: Page): Promise<void> {
  const scroll = (await page.evaluate(PAGE_SCROLL)) as { height: number; width: number; windowHeight: number; windowWidth: number; y: number };
  expect(scroll.height).toBe(scroll.windowHeight);
  expect(scroll.width).toBe(scroll.windowWidth);
  expect(scroll.y).toBe(0);
}

test('thirty messages scroll inside the conversation; a wheel anywhere never scrolls the page', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(bob, 'alice');
  for (let i = 1; i <= 30; i++) await say(bob, `message number ${i}, long enough to take a line of its own in the list`);

  await alice.setViewportSize({ width: 1100, height: 800 });
  await alice.getByRole('button', { name: /^bob/ }).click();
  const log = alice.getByRole('log', { name: 'Conversation with bob' });
  await expect(log.getByText('message number 30,')).toBeVisible();
  await expectPageFitsWindow(alice);

  // A wheel over the list of conversations, then over the messages: each area may scroll, the page may not.
  for (const area of [alice.locator('.sidebar'), log]) {
    const box = await area.boundingBox();
    if (!box) throw new Error('an area is not on screen');
    await alice.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 5; i++) await alice.mouse.wheel(0, 1500);
    await expectPageFitsWindow(alice);
  }
  // The messages scroll within their own area: back up to the first.
  await alice.mouse.wheel(0, -20_000);
  await expect(log.getByText('message number 1,')).toBeInViewport();
  await expectPageFitsWindow(alice);
});

test('the do-not-disturb days are checkboxes one can see and click', async ({ browser, people }) => {
  const page = await people.join(browser, 'alice');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  // The box shows the saved setting, so it turns checked once the save returns, not on the click.
  const scheduled = settings.getByRole('checkbox', { name: 'Quiet every day on a schedule' });
  await scheduled.click();
  await expect(scheduled).toBeChecked();
  const days = settings.getByRole('group', { name: 'Days' }).getByRole('checkbox');
  await expect(days).toHaveCount(7);
  for (const day of await days.all()) {
    const box = await day.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(10);
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(10);
  }
  const monday = settings.getByRole('checkbox', { name: 'Mon', exact: true });
  const was = await monday.isChecked();
  await monday.click();
  await expect(monday).toBeChecked({ checked: !was });
  await expectPageFitsWindow(page);
});
