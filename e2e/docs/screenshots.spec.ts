// The README's and docs/'s screenshots, taken of the real app (web host, real relay) with a small
// made-up conversation: `npm run screenshots` writes them to docs/screenshots/. Not part of
// `npm test` (it rewrites files in the tree); the visual baselines in e2e/web guard the look.
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { createGroup, openAccountDialog, say, startChat, subscribeTopic, test } from '../app.js';

const OUT = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

async function shoot(page: Page, name: string): Promise<void> {
  await page.mouse.move(page.viewportSize()!.width - 2, page.viewportSize()!.height / 2);
  await page.screenshot({ path: path.join(OUT, `${name}.png`), animations: 'disabled' });
}

test('the main screens, light and dark', async ({ browser, people }) => {
  test.setTimeout(180_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const carol = await people.join(browser, 'carol');
  await alice.setViewportSize({ width: 1280, height: 800 });

  await startChat(carol, 'alice');
  await say(carol, 'Slides for Monday are in the shared folder 📎');
  await createGroup(bob, 'Weekend trip', 'alice, carol');
  await say(bob, 'Ferry leaves at **9:40** from pier 3');
  await say(carol, 'I will bring the `tent` and snacks');
  await startChat(bob, 'alice');
  await say(bob, 'Are we still on for the harbour walk on Saturday?');
  await say(bob, 'The forecast says sun until three: https://weather.example.org/harbour');
  await alice.getByRole('button', { name: /^bob/ }).click();
  await say(alice, 'Yes! Meet at the lighthouse at ten?');
  await say(alice, 'I will bring **coffee** and the map.');
  await expect(alice.locator('li.outgoing').last()).toHaveAttribute('data-state', 'read');
  await say(bob, 'Perfect, see you there 👋');
  await expect(alice.locator('li.incoming').last()).toContainText('see you there');
  await alice.getByRole('heading', { name: 'bob', level: 2 }).click();

  for (const scheme of ['light', 'dark'] as const) {
    await alice.emulateMedia({ colorScheme: scheme });
    await shoot(alice, `chat-${scheme}`);
  }

  await alice.getByRole('button', { name: /^Notifications/ }).click();
  const center = alice.getByRole('region', { name: 'Notification center' });
  for (const topic of ['ops', 'builds']) await subscribeTopic(alice, topic);
  const pushes: [string, Record<string, string>, string][] = [
    ['builds', { Title: 'main passed', Tags: 'white_check_mark' }, 'All **412** tests green in 6 min'],
    ['ops', { Title: 'Nightly backup', Tags: 'floppy_disk' }, 'Backup of db-1 finished in 4 min'],
    ['ops', { Title: 'Disk space', Priority: 'urgent', Tags: 'warning' }, 'db-1 is at **91%**: clean up or grow the volume'],
  ];
  for (const [topic, headers, body] of pushes) {
    const response = await fetch(`${people.relay}/${topic}`, { method: 'POST', headers: { ...headers, Markdown: 'yes' }, body });
    expect(response.status).toBe(200);
  }
  await expect(center.locator('[data-push-id]')).toHaveCount(3);
  const toasts = alice.getByRole('region', { name: 'Notifications' }).getByRole('group');
  while ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: /^Dismiss/ }).click();
  await expect(center.getByText('Subscribed to builds.')).toHaveCount(0, { timeout: 15_000 });
  for (const scheme of ['light', 'dark'] as const) {
    await alice.emulateMedia({ colorScheme: scheme });
    await shoot(alice, `notifications-${scheme}`);
  }

  await alice.getByRole('button', { name: /^Chats/ }).click();
  await openAccountDialog(alice, 'Settings');
  for (const scheme of ['light', 'dark'] as const) {
    await alice.emulateMedia({ colorScheme: scheme });
    await shoot(alice, `settings-${scheme}`);
  }
  await alice.keyboard.press('Escape');

  await alice.setViewportSize({ width: 420, height: 800 });
  await alice.goto(alice.url().replace('lang=en', 'lang=zh-CN'));
  await alice.getByRole('button', { name: /^Weekend trip/ }).click();
  for (const scheme of ['light', 'dark'] as const) {
    await alice.emulateMedia({ colorScheme: scheme });
    await shoot(alice, `group-narrow-zh-${scheme}`);
  }
});
