// Searching the history from the app: Ctrl/Cmd+K, results by conversation with the words marked,
// a result opened at its message (loaded from far back), and the search in one conversation.
import { expect, type Page } from '@playwright/test';
import { createGroup, keep, say, startChat, test } from '../app.js';
import type { WarblerApi } from '../../shared/ipc.js';

// More than the page around a result (100 after it) and the latest page (200) together: opened at the
// oldest, the conversation holds a run that does not reach the newest.
const FILLER = 320;

/** Sends these texts from the page, through the same channel as the composer, one after another. */
async function sendAll(page: Page, to: string, texts: string[]): Promise<void> {
  await page.evaluate(
    async ({ to, texts }) => {
      const { warbler } = globalThis as unknown as { warbler: WarblerApi };
      for (const text of texts) await warbler.invoke('messages:send', { conversationId: to, text });
    },
    { to, texts },
  );
}

test('search finds Chinese and English across conversations, opens a result at its message, and searches one conversation', async ({ browser, people }, testInfo) => {
  test.setTimeout(180_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');
  await startChat(alice, 'bob');
  await startChat(carol, 'bob');
  await say(carol, 'Café at noon, then 北京烤鸭?');
  await createGroup(carol, 'Trip', 'alice, bob');
  await say(carol, 'Who is in for 北京 in May?');
  await sendAll(alice, 'bob', ['明天在北京见面吧', ...Array.from({ length: FILLER }, (_, i) => `filler message ${i}`), 'Lunch at the café?']);
  // Received while the page was open, they are all held; opened afresh, the page holds none of them.
  await expect(bob.getByRole('button', { name: /^alice/ })).toHaveAccessibleDescription('Lunch at the café?', { timeout: 30_000 });
  await bob.reload();
  const log = bob.getByRole('log', { name: 'Conversation with alice' });
  // The shortcuts listen once the app has opened the profile.
  await expect(bob.getByRole('navigation', { name: 'Conversations' })).toBeVisible();
  // The shortcuts listen once the app has opened the profile.
  await expect(bob.getByRole('navigation', { name: 'Conversations' })).toBeVisible();

  // Ctrl+K from anywhere: the box takes the focus; results replace the list, grouped and marked.
  await bob.keyboard.press('Control+k');
  const box = bob.getByRole('searchbox', { name: 'Search messages' });
  await expect(box).toBeFocused();
  await box.fill('北京');
  const results = bob.getByRole('navigation', { name: 'Search results' });
  await expect(results.getByRole('region')).toHaveCount(3);
  await expect(results.getByRole('region', { name: 'alice' }).locator('mark')).toHaveText(['北京']);
  await expect(results.getByRole('region', { name: 'carol' }).locator('mark')).toHaveText(['北京']);
  // In a group, who wrote it; in a direct conversation its title says so already.
  await expect(results.getByRole('region', { name: 'Trip' }).locator('.search-hit-from')).toHaveText('carol');
  await expect(results.getByRole('region', { name: 'alice' }).locator('.search-hit-from')).toHaveCount(0);
  await expect(bob.getByRole('navigation', { name: 'Conversations' })).toHaveCount(0);
  await keep(bob, testInfo, 'results-wide');

  // The oldest of 322 messages, opened: it is in view and marked, with the messages after it.
  await results.getByRole('button', { name: /明天在北京见面吧/ }).click();
  const found = log.locator('li[data-found]');
  await expect(found).toHaveText(/明天在北京见面吧/);
  await expect(found).toBeInViewport();
  await expect(log.getByText('filler message 3', { exact: true })).toBeAttached();
  await expect(log.getByText('Lunch at the café?')).toHaveCount(0);

  // Accents and case do not matter; a newer result opens in the same conversation.
  await box.fill('CAFE');
  await expect(results.locator('.search-hit')).toHaveCount(2);
  await expect(results.getByRole('region', { name: 'alice' }).locator('mark')).toHaveText(['café']);
  await results.getByRole('region', { name: 'alice' }).getByRole('button').click();
  await expect(log.locator('li[data-found]')).toHaveText(/Lunch at the café\?/);
  await expect(log.locator('li[data-found]')).toBeInViewport();

  // Ctrl+F in a conversation searches in it; the chip goes back to everywhere.
  await log.click();
  await bob.keyboard.press('Control+f');
  await expect(box).toBeFocused();
  await box.fill('café');
  await expect(results.locator('.search-hit')).toHaveCount(1);
  await expect(results.getByRole('region', { name: 'alice' })).toHaveCount(1);
  await keep(bob, testInfo, 'scoped-wide');
  await bob.getByRole('button', { name: 'Search all conversations, not only alice' }).click();
  await expect(results.locator('.search-hit')).toHaveCount(2);

  // from:NAME: what one person wrote, with or without words.
  await box.fill('from:carol');
  await expect(results.locator('.search-hit')).toHaveCount(2);
  await expect(results.getByRole('region')).toHaveCount(2);
  await box.fill('北京 from:alice');
  await expect(results.locator('.search-hit')).toHaveCount(1);
  await expect(results.locator('mark')).toHaveText(['北京']);

  await box.fill('nothing like this');
  await expect(results.getByText('No messages match.')).toBeVisible();
  await box.press('Escape');
  await expect(box).toHaveValue('');
  await expect(bob.getByRole('navigation', { name: 'Conversations' })).toBeVisible();

  // How it looks: light and dark, English and Chinese, wide and narrow.
  const url = new URL(bob.url());
  for (const language of ['en', 'zh-CN'] as const) {
    url.searchParams.set('lang', language);
    await bob.goto(url.toString());
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1280, 420]) {
        await bob.emulateMedia({ colorScheme: scheme });
        await bob.setViewportSize({ width, height: 720 });
        const search = bob.getByRole('searchbox');
        await search.fill('北京');
        await expect(bob.locator('.search-hit')).toHaveCount(3);
        const box = await search.boundingBox();
        expect(box && box.x + box.width).toBeLessThanOrEqual(width);
        await keep(bob, testInfo, `results-${language}-${scheme}-${width}`);
        await search.fill('');
      }
    }
  }
});
