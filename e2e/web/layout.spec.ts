// The app's frame holds still: the page never grows past the window (each area scrolls within
// itself), and every control the stylesheet lays out is there to see and click. In a narrow window
// the list and the open conversation take turns, each as wide as the window.
import { expect, type Locator, type Page } from '@playwright/test';
import { accountButton, keep, openAccountDialog, say, startChat, test } from '../app.js';

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
  // All thirty unread: it opens at the first of them.
  await expect(log.getByText('message number 1,')).toBeVisible();
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
  const settings = await openAccountDialog(page, 'Settings');
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

  // The schedule's times are written as the UI's language writes them, whatever the system's locale.
  const from = settings.getByLabel('From', { exact: true });
  await from.selectOption({ label: '10:30 PM' });
  await expect(from).toHaveValue('22:30');
  await page.goto(page.url().replace('lang=en', 'lang=zh-CN'));
  const again = await openAccountDialog(page, '设置');
  await expect(again.getByLabel('从', { exact: true }).locator('option:checked')).toHaveText('22:30');
});

/** Within the window's width: neither cut off on the right nor pushed out on the left. */
async function expectWithinWidth(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box, 'on screen').not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(width);
}

test('a narrow window shows the list or the conversation, with a way back, and nothing overflows', async ({ browser, people, relay }, testInfo) => {
  test.setTimeout(90_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(bob, 'alice');
  await say(bob, 'a message with a rather long line of text, longer than a narrow window is wide');
  await alice.setViewportSize({ width: 420, height: 720 });

  const list = alice.getByRole('navigation', { name: 'Conversations' });
  const item = list.getByRole('button', { name: /^bob/ });
  const log = alice.getByRole('log', { name: 'Conversation with bob' });
  const back = alice.getByRole('button', { name: 'Back to conversations' });
  // The list, as wide as the window, its rows whole; the views and the account in reach in the bar at the foot.
  await expect(item).toBeInViewport({ ratio: 1 });
  await expectWithinWidth(alice, item);
  await expect(alice.getByRole('button', { name: 'Chats' })).toBeInViewport({ ratio: 1 });
  await expect(alice.getByRole('button', { name: /^Notifications/ })).toBeInViewport({ ratio: 1 });
  await expect(accountButton(alice, 'alice')).toBeInViewport({ ratio: 1 });
  await expect(back).toHaveCount(0);
  await expectPageFitsWindow(alice);
  await keep(alice, testInfo, 'narrow-list');

  // Open: the conversation takes the window; the list is gone until the way back.
  await item.click();
  await expect(log.getByText('a message with a rather long line')).toBeVisible();
  await expect(list).toBeHidden();
  await expect(back).toBeInViewport({ ratio: 1 });
  await expectWithinWidth(alice, alice.getByRole('heading', { name: 'bob', level: 2 }));
  await expectWithinWidth(alice, alice.getByRole('button', { name: 'Send' }));
  await expectWithinWidth(alice, alice.getByRole('button', { name: 'Safety number' }));
  await expectPageFitsWindow(alice);
  await say(alice, 'answered from a narrow window');
  await expect(log.getByText('answered from a narrow window')).toBeVisible();
  await keep(alice, testInfo, 'narrow-conversation');

  // Back: the list again, focus on the row just left.
  await back.click();
  await expect(log).toHaveCount(0);
  await expect(item).toBeInViewport({ ratio: 1 });
  await expect(item).toBeFocused();
  await expectPageFitsWindow(alice);

  // Ctrl+K in an open conversation: the list comes back with the search box to type in.
  await item.click();
  await expect(list).toBeHidden();
  await alice.keyboard.press('Control+k');
  await expect(alice.getByRole('searchbox', { name: 'Search messages' })).toBeFocused();
  await expect(item).toBeInViewport({ ratio: 1 });
  await expect(log).toHaveCount(0);

  // Every width of a narrow window, in Chinese and dark, with a banner over the list: the list keeps
  // the window's height and nothing overflows.
  await relay.stop();
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await alice.emulateMedia({ colorScheme: 'dark' });
  const banner = alice.getByRole('status').filter({ hasText: /^(正在连接…|离线)/ });
  await expect(banner).toBeVisible();
  const zhItem = alice.getByRole('navigation', { name: '会话' }).getByRole('button', { name: /^bob/ });
  for (const width of [420, 560, 700]) {
    await alice.setViewportSize({ width, height: 720 });
    await expect(zhItem).toBeInViewport({ ratio: 1 });
    await expectPageFitsWindow(alice);
    await zhItem.click();
    await expect(alice.getByRole('log', { name: '与 bob 的聊天记录' }).getByText('answered from a narrow window')).toBeVisible();
    await expectWithinWidth(alice, alice.getByRole('button', { name: '发送' }));
    await expectPageFitsWindow(alice);
    if (width === 420) await keep(alice, testInfo, 'narrow-conversation-zh-dark');
    await alice.getByRole('button', { name: '返回会话列表' }).click();
  }
  await keep(alice, testInfo, 'narrow-list-zh-dark');

  // Wider, both side by side: the conversation stays open, with no way back to show.
  await zhItem.click();
  await alice.setViewportSize({ width: 1280, height: 720 });
  await expect(zhItem).toBeInViewport({ ratio: 1 });
  await expect(alice.getByRole('log', { name: '与 bob 的聊天记录' })).toBeVisible();
  await expect(alice.getByRole('button', { name: '返回会话列表' })).toHaveCount(0);
  await expectPageFitsWindow(alice);
});

test('the list is as wide as it is dragged, by mouse or keys, also after a reload', async ({ browser, people }, testInfo) => {
  const page = await people.join(browser, 'alice');
  await people.join(browser, 'bob');
  await startChat(page, 'bob');
  await say(page, 'A list as wide as I like');
  const list = page.locator('aside.sidebar');
  const edge = page.getByRole('separator', { name: 'Conversation list width' });
  const width = async () => Math.round((await list.boundingBox())!.width);
  // As wide as the layout makes it (20rem) until dragged.
  const laidOut = await width();

  // Dragged 100 px to the right.
  const box = (await edge.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 50, box.y + 200, { steps: 4 });
  await page.mouse.move(box.x + box.width / 2 + 100, box.y + 200, { steps: 4 });
  await page.mouse.up();
  await expect.poll(width).toBe(laidOut + 100);
  await expect(edge).toHaveAttribute('aria-valuenow', String(laidOut + 100));
  await keep(page, testInfo, 'list-dragged-wide');

  // Kept in the settings: the same after a reload, from the list's first frame on (no jump from the
  // layout's width once the settings come).
  await page.addInitScript({
    content: `window.listWidths = [];
      const look = () => {
        const list = document.querySelector('aside.sidebar');
        if (list) window.listWidths.push(Math.round(list.getBoundingClientRect().width));
        if (window.listWidths.length < 120) requestAnimationFrame(look);
      };
      requestAnimationFrame(look);`,
  });
  await page.reload();
  await expect(edge).toBeVisible();
  await expect.poll(width).toBe(laidOut + 100);
  const frames = (await page.evaluate('window.listWidths')) as number[];
  expect(frames.length).toBeGreaterThan(0);
  expect(new Set(frames)).toEqual(new Set([laidOut + 100]));

  // A click on the edge, without a drag, leaves the width as it is.
  const still = (await edge.boundingBox())!;
  await page.mouse.click(still.x + still.width / 2, still.y + 300);
  await expect(edge).toHaveAttribute('aria-valuenow', String(laidOut + 100));

  // The keys: a step left, the narrowest, and Enter for the width the layout gives.
  await edge.focus();
  await page.keyboard.press('ArrowLeft');
  await expect.poll(width).toBe(laidOut + 100 - 16);
  await page.keyboard.press('Home');
  await expect.poll(width).toBe(240);
  await page.emulateMedia({ colorScheme: 'dark' });
  await keep(page, testInfo, 'list-narrowest-dark');
  await page.keyboard.press('Enter');
  await expect.poll(width).toBe(laidOut);
  await page.reload();
  await expect(edge).toBeVisible();
  expect(await width()).toBe(laidOut);
});
