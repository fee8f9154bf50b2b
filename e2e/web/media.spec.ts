// Videos, GIFs and files as the other person sees them: a video recorded in the browser shows its
// length before it is fetched, then plays inline; a GIF shows inline at its size; the viewer zooms
// and saves the original; a file card's Open shows the file in a tab of its own.
import fs from 'node:fs';
import { expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { keep, startChat, test } from '../app.js';

// Run in the page, as text (this file is type-checked without the DOM's types): 1.5 s of a moving
// square on a canvas, recorded as WebM by the browser's own MediaRecorder; resolves to its bytes.
const RECORD_VIDEO = `(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 160;
  canvas.height = 90;
  const g = canvas.getContext('2d');
  const recorder = new MediaRecorder(canvas.captureStream(25), { mimeType: 'video/webm' });
  const chunks = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  let x = 0;
  const draw = setInterval(() => {
    g.fillStyle = '#0f172a';
    g.fillRect(0, 0, 160, 90);
    g.fillStyle = '#f59e0b';
    g.fillRect((x += 4) % 160, 30, 30, 30);
  }, 40);
  recorder.start(100);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  recorder.stop();
  await stopped;
  clearInterval(draw);
  return [...new Uint8Array(await new Blob(chunks).arrayBuffer())];
})()`;

async function sendFiles(page: Page, files: { name: string; mimeType: string; buffer: Buffer }[]): Promise<void> {
  await page.getByTestId('attach-input').setInputFiles(files);
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled({ timeout: 20_000 });
  await send.click();
  await expect(page.getByRole('list', { name: 'Files to send' })).toHaveCount(0);
}

test('a video plays inline, a GIF shows, the viewer zooms and saves, and a file opens in a tab', async ({ browser, people }, testInfo) => {
  test.setTimeout(120_000);
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const errors: string[] = [];
  for (const page of [alice, bob]) page.on('pageerror', (err) => errors.push(err.message));
  await startChat(alice, 'bob');

  const video = Buffer.from((await alice.evaluate(RECORD_VIDEO)) as number[]);
  const gif = await sharp({ create: { width: 90, height: 60, channels: 3, background: '#7c3aed' } }).gif().toBuffer();
  const notes = Buffer.from('<h1>Minutes</h1>\n'.repeat(40));
  await sendFiles(alice, [{ name: 'clip.webm', mimeType: 'video/webm', buffer: video }]);
  await sendFiles(alice, [{ name: 'wave.gif', mimeType: 'image/gif', buffer: gif }]);
  await sendFiles(alice, [{ name: 'minutes.txt', mimeType: 'text/plain', buffer: notes }]);

  await bob.getByRole('button', { name: /^alice/ }).click();
  const log = bob.getByRole('log', { name: 'Conversation with alice' });

  // The video: its length, measured by the sender, until it is fetched; then a player that plays it.
  const player = log.locator('video[aria-label="clip.webm"]');
  await expect(player).toBeAttached({ timeout: 20_000 });
  await expect.poll(() => player.evaluate((v) => (v as unknown as { duration: number }).duration)).toBeGreaterThan(1);
  await player.evaluate((v) => (v as unknown as { muted: boolean; play(): Promise<void> }).play().catch(() => undefined));
  await expect.poll(() => player.evaluate((v) => (v as unknown as { currentTime: number }).currentTime)).toBeGreaterThan(0.2);

  // The GIF: inline, at its own size, and into the viewer, which zooms and saves the original.
  const wave = log.getByRole('button', { name: 'Open image wave.gif' });
  await expect(wave).toBeEnabled({ timeout: 20_000 });
  await expect.poll(() => wave.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(90);
  await keep(bob, testInfo, 'media-wide-light');
  await wave.click();
  const viewer = bob.getByRole('dialog', { name: 'Image wave.gif' });
  await expect(viewer.getByText('100%')).toBeVisible();
  await viewer.getByRole('button', { name: 'Zoom in' }).click();
  await expect(viewer.getByText('100%')).toHaveCount(0);
  await viewer.getByRole('button', { name: 'Zoom out' }).click();
  await expect(viewer.getByText('100%')).toBeVisible();
  const saving = bob.waitForEvent('download');
  await viewer.getByRole('link', { name: 'Save' }).click();
  const saved = await saving;
  expect(saved.suggestedFilename()).toBe('wave.gif');
  expect((await sharp(fs.readFileSync((await saved.path())!)).metadata()).format).toBe('gif');
  await bob.keyboard.press('Escape');

  // The file: Open fetches it, then opens it in a tab of its own, as the text it is.
  const card = log.locator('.attachment-file', { hasText: 'minutes.txt' });
  await card.getByRole('button', { name: 'Open' }).click();
  const open = card.getByRole('link', { name: 'Open' });
  await expect(open).toBeVisible({ timeout: 20_000 });
  const tabOpened = bob.context().waitForEvent('page');
  await open.click();
  const tab = await tabOpened;
  await tab.waitForLoadState();
  expect(await tab.locator('body').innerText()).toContain('<h1>Minutes</h1>');
  await tab.close();
  expect(errors).toEqual([]);
});
