// Attachments on pushes in the notification center: an image published with `curl -T` shows as a
// preview (fetched by the person's own host from the relay, never by the page) and opens large; a
// log file, a body too long for a message and a link to a file elsewhere show as file cards whose
// Open button opens the file in a tab of its own, only when clicked.
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { subscribeTopic, test } from '../app.js';

function center(page: Page) {
  return page.getByRole('region', { name: 'Notification center' });
}

function pushWith(page: Page, text: string) {
  return center(page).getByRole('list', { name: 'Notifications' }).getByRole('listitem').filter({ hasText: text });
}

async function subscribe(page: Page, topic: string): Promise<void> {
  await page.getByRole('button', { name: /^Notifications/ }).click();
  await subscribeTopic(page, topic);
}

/** As `curl -T FILE -H "Filename: NAME" URL/topic` (or -d TEXT) sends it; the relay's JSON answer. */
async function publish(relay: string, topic: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ id: string; attachment: { url: string } }> {
  const response = await fetch(`${relay}/${topic}`, { method: 'PUT', headers, body });
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return JSON.parse(text) as { id: string; attachment: { url: string } };
}

const photo = () =>
  sharp({ create: { width: 160, height: 120, channels: 3, background: '#0f766e' } })
    .composite([{ input: Buffer.from('<svg width="160" height="120"><circle cx="80" cy="60" r="40" fill="#fbbf24"/></svg>'), top: 0, left: 0 }])
    .jpeg()
    .toBuffer();

test('an image on a push shows as a preview and opens large; other files show as cards to open', async ({ browser, people, workDir }) => {
  const alice = await people.join(browser, 'alice');
  const relayOrigin = new URL(people.relay).origin;
  // The page itself never talks to the relay: its host fetches the image for it.
  const fromPage: string[] = [];
  alice.on('request', (request) => {
    if (request.url().startsWith(relayOrigin)) fromPage.push(request.url());
  });
  await subscribe(alice, 'cameras');

  const image = await publish(people.relay, 'cameras', await photo(), { Filename: 'front-door.jpg', Title: 'Motion at the front door' });
  const push = pushWith(alice, 'Motion at the front door');
  await expect(push).toBeVisible();
  const preview = push.getByRole('button', { name: 'Show image front-door.jpg large' });
  await expect.poll(() => preview.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(160);
  await expect(push).toContainText('front-door.jpg');
  await expect(push).toContainText('You received a file: front-door.jpg');
  // Kept in the profile: the preview outlives the relay's copy (ntfy keeps files 3 hours).
  const kept = path.join(workDir, 'alice', 'push-attachments', image.id);
  expect(fs.existsSync(kept)).toBe(true);

  await preview.click();
  const viewer = alice.getByRole('dialog', { name: 'Image front-door.jpg' });
  await expect(viewer).toBeVisible();
  await expect.poll(() => viewer.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(160);
  await alice.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
  await expect(preview).toBeFocused();

  // A log file: a card with its name and size; Open file opens the relay's URL in a tab of its own.
  const log = await publish(people.relay, 'cameras', 'camera 2: no signal\n'.repeat(40), { Filename: 'camera-2.log', Message: 'Camera 2 went dark' });
  const card = pushWith(alice, 'Camera 2 went dark');
  await expect(card).toContainText('camera-2.log');
  await expect(card).toContainText('800 B');
  await expect(card.locator('img')).toHaveCount(0);
  expect(alice.context().pages()).toHaveLength(1);
  const opened = alice.context().waitForEvent('page');
  await card.getByRole('button', { name: 'Open file' }).click();
  const tab = await opened;
  await tab.waitForURL(log.attachment.url);
  await expect(tab.locator('body')).toContainText('camera 2: no signal');
  // noopener: the tab cannot reach back into the app (page code as text: this file has no DOM types).
  expect(await tab.evaluate('window.opener === null')).toBe(true);
  await tab.close();

  // A body too long to be a message: ntfy's attachment.txt.
  await publish(people.relay, 'cameras', 'frame dropped\n'.repeat(400));
  await expect(pushWith(alice, 'You received a file: attachment.txt')).toContainText('5.5 KB');

  // A link to a file elsewhere: a card, nothing fetched.
  await publish(people.relay, 'cameras', 'Weekly footage report', { Attach: 'https://reports.example.org/week-49.pdf' });
  const linked = pushWith(alice, 'Weekly footage report');
  await expect(linked).toContainText('week-49.pdf');
  await expect(linked.getByRole('button', { name: 'Open file' })).toBeVisible();

  expect(fromPage).toEqual([]);

  // Deleting the push deletes its kept image too.
  await push.getByRole('button', { name: 'Delete' }).click();
  await expect(push).toHaveCount(0);
  await expect.poll(() => fs.existsSync(kept)).toBe(false);
});
