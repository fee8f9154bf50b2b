// Files in a conversation, as people attach them: with the button, by dropping them on the
// conversation, by pasting an image. The other person sees the image (fetched, verified and
// decrypted by their own host), opens it in the viewer, and saves a file identical to the original.
import fs from 'node:fs';
import { expect, type Page } from '@playwright/test';
import sharp from 'sharp';
import { say, startChat, test } from '../app.js';

const photo = () => sharp({ create: { width: 120, height: 80, channels: 3, background: '#2563eb' } }).png().toBuffer();

async function sendWhenReady(page: Page): Promise<void> {
  const send = page.getByRole('button', { name: 'Send', exact: true });
  await expect(send).toBeEnabled();
  await send.click();
  await expect(page.getByRole('list', { name: 'Files to send' })).toHaveCount(0);
}

/**
 * Files handed to the page as a drop on the conversation, or as a paste into the composer. The script
 * runs in the page (as text: this file is type-checked without the DOM's types).
 */
async function dispatchFiles(page: Page, kind: 'drop' | 'paste', files: { name: string; type: string; bytes: number[] }[]): Promise<void> {
  await page.evaluate(`(() => {
    const kind = ${JSON.stringify(kind)};
    const data = new DataTransfer();
    for (const f of ${JSON.stringify(files)}) data.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    if (kind === 'paste') {
      document.querySelector('textarea').dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      return;
    }
    const target = document.querySelector('section.conversation');
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  })()`);
}

test('files attached by button, drop and paste reach the other person, who views and saves them', async ({ browser, people }) => {
  const alice = await people.join(browser, 'alice');
  const bob = await people.join(browser, 'bob');
  const errors: string[] = [];
  for (const page of [alice, bob]) page.on('pageerror', (err) => errors.push(err.message));
  await startChat(alice, 'bob');
  await say(alice, 'files coming');

  // By the button: an image with a caption.
  await alice.getByTestId('attach-input').setInputFiles({ name: 'harbour.png', mimeType: 'image/png', buffer: await photo() });
  await expect(alice.getByRole('list', { name: 'Files to send' }).getByText('harbour.png')).toBeVisible();
  await alice.getByLabel('Message', { exact: true }).fill('the harbour');
  await sendWhenReady(alice);

  // By a drop on the conversation: a text file. Files dragged over it show where to drop them.
  const notes = Buffer.from('Ferry at 9:40, platform 3.\n'.repeat(500));
  await alice.evaluate(`(() => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'x.txt', { type: 'text/plain' }));
    document.querySelector('section.conversation').dispatchEvent(new DragEvent('dragenter', { dataTransfer: data, bubbles: true, cancelable: true }));
  })()`);
  await expect(alice.getByText('Drop files to send them')).toBeVisible();
  await dispatchFiles(alice, 'drop', [{ name: 'notes.txt', type: 'text/plain', bytes: [...notes] }]);
  await expect(alice.getByRole('list', { name: 'Files to send' }).getByText('notes.txt')).toBeVisible();
  await expect(alice.getByText('Drop files to send them')).toHaveCount(0);
  await sendWhenReady(alice);

  // By a paste into the composer: a second image.
  await dispatchFiles(alice, 'paste', [{ name: 'pasted.png', type: 'image/png', bytes: [...(await photo())] }]);
  await sendWhenReady(alice);

  await bob.getByRole('button', { name: /^alice/ }).click();
  const log = bob.getByRole('log', { name: 'Conversation with alice' });
  await expect(log.getByText('the harbour')).toBeVisible();

  // The images arrive fetched, verified and decrypted by bob's host, and shown.
  const harbour = log.getByRole('button', { name: 'Open image harbour.png' });
  await expect(harbour).toBeEnabled({ timeout: 20_000 });
  await expect.poll(() => harbour.locator('img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(120);
  await expect(log.getByRole('button', { name: 'Open image pasted.png' })).toBeEnabled({ timeout: 20_000 });

  // The viewer: opened from the image, next and previous among the conversation's images, Escape closes.
  await harbour.click();
  const viewer = bob.getByRole('dialog', { name: 'Image harbour.png' });
  await expect(viewer).toBeVisible();
  await viewer.getByRole('button', { name: 'Next image' }).click();
  await expect(bob.getByRole('dialog', { name: 'Image pasted.png' })).toBeVisible();
  await bob.keyboard.press('Escape');
  await expect(bob.getByRole('dialog')).toHaveCount(0);
  await expect(harbour).toBeFocused();

  // The file: fetched when asked for, then saved, byte for byte the original.
  const card = log.locator('.attachment-file', { hasText: 'notes.txt' });
  // Not fetched yet: Save as fetches it first, then saves it.
  const downloading = bob.waitForEvent('download');
  await card.getByRole('button', { name: 'Save as…' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('notes.txt');
  expect(fs.readFileSync((await download.path())!).equals(notes)).toBe(true);

  expect(errors).toEqual([]);
});
