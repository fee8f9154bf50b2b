// Visual regression: the main screens, light and dark, against baselines kept beside this file
// (visual.spec.ts-snapshots/). An intended change to the look updates them:
//   npx playwright test e2e/web/visual.spec.ts --update-snapshots
// then look at each new PNG before committing it. Times and the relay's port change from run to
// run: they are masked. English only: the Chinese screens are looked at in the other specs, and a
// baseline must not depend on which CJK fonts a machine has.
import { expect, type Locator, type Page } from '@playwright/test';
import { openAccountDialog, say, startChat, subscribeTopic, test } from '../app.js';

const SCHEMES = ['light', 'dark'] as const;

async function matches(page: Page, name: string, mask: Locator[] = []): Promise<void> {
  // The pointer rests where it shows no tooltip and hovers nothing.
  await page.mouse.move(page.viewportSize()!.width - 2, page.viewportSize()!.height / 2);
  // A time's width follows the clock ("9:41 AM", "12:05 AM"), and so does what lies beside it, masked
  // or not: each shows the same time while it is looked at.
  await page.locator('time').evaluateAll((times) => {
    for (const time of times) time.textContent = '9:41 AM';
  });
  await expect(page).toHaveScreenshot(`${name}.png`, {
    mask: [page.locator('time'), ...mask],
    animations: 'disabled',
    // Text anti-aliasing may differ by a few pixels between machines; a changed word, layout or
    // colour is far more (about 1,000 pixels here is a word of small text).
    maxDiffPixelRatio: 0.001,
  });
}

test('first run', async ({ browser, people }) => {
  const page = await people.open(browser, 'newcomer');
  await page.getByLabel('Username').fill('alice');
  await expect(page.locator('.username-check')).toHaveText('alice is free');
  await page.getByText('Advanced', { exact: true }).click();
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    await matches(page, `first-run-${scheme}`, [page.getByLabel('Server URL')]);
  }
});

test('a conversation, and the notification center', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  await startChat(bob, 'alice');
  await say(bob, 'Are we still on for the harbour walk on Saturday?');
  await say(bob, 'The forecast says sun until three.');
  await alice.getByRole('button', { name: /^bob/ }).click();
  await say(alice, 'Yes! Meet at the lighthouse at ten?');
  await say(alice, 'I will bring **coffee** and the `map`.');
  await expect(alice.locator('li.outgoing').last()).toHaveAttribute('data-state', 'read');
  await expect(alice.locator('.conversation-heading')).toContainText('online');
  // Out of the composer: its focus ring is not what this looks at.
  await alice.getByRole('heading', { name: 'bob', level: 2 }).click();

  const relay = people.relay;
  await alice.getByRole('button', { name: /^Notifications/ }).click();
  const center = await subscribeTopic(alice, 'ops');
  for (const [title, priority, body] of [
    ['Nightly backup', 'default', 'Backup finished in **4 min**'],
    ['Disk space', 'high', 'db-1 is at 91%'],
  ]) {
    const response = await fetch(`${relay}/ops`, { method: 'POST', headers: { Title: title!, Priority: priority!, Markdown: 'yes' }, body });
    expect(response.status).toBe(200);
  }
  await expect(center.locator('[data-push-id]')).toHaveCount(2);
  // Toasts leave after a while: the center alone is looked at.
  const toasts = alice.getByRole('region', { name: 'Notifications' }).getByRole('group');
  while ((await toasts.count()) > 0) await toasts.first().getByRole('button', { name: /^Dismiss/ }).click();
  await expect(toasts).toHaveCount(0);
  // "Subscribed to ops." leaves after a while too: the baseline must not depend on how fast this ran.
  await expect(center.getByText('Subscribed to ops.')).toHaveCount(0, { timeout: 15_000 });
  await center.getByRole('heading').first().click();

  for (const scheme of SCHEMES) {
    await alice.emulateMedia({ colorScheme: scheme });
    await matches(alice, `notifications-${scheme}`);
  }
  await alice.getByRole('button', { name: /^Chats/ }).click();
  for (const scheme of SCHEMES) {
    await alice.emulateMedia({ colorScheme: scheme });
    await matches(alice, `chat-${scheme}`);
  }
  await alice.setViewportSize({ width: 420, height: 760 });
  for (const scheme of SCHEMES) {
    await alice.emulateMedia({ colorScheme: scheme });
    await matches(alice, `chat-narrow-${scheme}`);
  }
  await alice.setViewportSize({ width: 1280, height: 720 });
  await openAccountDialog(alice, 'Settings');
  for (const scheme of SCHEMES) {
    await alice.emulateMedia({ colorScheme: scheme });
    await matches(alice, `settings-${scheme}`);
  }
});
