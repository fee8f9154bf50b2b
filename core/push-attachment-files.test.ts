// Previews of images on pushes, against a real relay: fetched once from the relay's own /file/ URL
// and kept, and refused whenever the push's attachment is anything but an image the relay keeps.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { PushAttachment } from '../shared/push.js';
import { httpUrl, tempDir, testRelay, useCleanups } from '../tests/helpers.js';
import { PushAttachmentFiles, imageTypeOf, previewSource } from './push-attachment-files.js';

const cleanups = useCleanups();

async function relay() {
  const dir = tempDir();
  const running = await testRelay(path.join(dir, 'relay'));
  cleanups.push(() => running.close());
  return { dir, serverUrl: running.url, base: httpUrl(running) };
}

async function publish(base: string, body: Buffer | string, filename: string): Promise<{ id: string; attachment: PushAttachment }> {
  const response = await fetch(`${base}/cams`, { method: 'PUT', headers: { Filename: filename }, body });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; attachment: PushAttachment };
}

const png = () => sharp({ create: { width: 24, height: 16, channels: 3, background: '#16a34a' } }).png().toBuffer();

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('push image previews', () => {
  it('fetches an image from the relay once, keeps it in the profile, and forgets it with its push', async () => {
    const { dir, serverUrl, base } = await relay();
    const image = await png();
    const item = await publish(base, image, 'door.png');
    expect(item.attachment).toMatchObject({ type: 'image/png', size: image.length });

    const profile = path.join(dir, 'alice');
    const files = new PushAttachmentFiles(profile, serverUrl);
    // Asked for twice at once: one fetch, the same bytes.
    const [first, second] = await Promise.all([files.open(item), files.open(item)]);
    expect(first.type).toBe('image/png');
    expect(first.size).toBe(image.length);
    expect((await bytesOf(first.body)).equals(image)).toBe(true);
    expect((await bytesOf(second.body)).equals(image)).toBe(true);
    expect(fs.readdirSync(path.join(profile, 'push-attachments'))).toEqual([item.id]);

    // Kept: shown again once the relay's copy is gone (here: the relay is gone).
    for (const close of cleanups.splice(0)) await close();
    expect((await bytesOf((await files.open(item)).body)).equals(image)).toBe(true);

    expect(await files.prune(new Set([item.id]))).toBe(0);
    await files.forget([item.id]);
    expect(fs.readdirSync(path.join(profile, 'push-attachments'))).toEqual([]);
  });

  it('refuses a file that only claims to be an image, and one the relay no longer has', async () => {
    const { dir, serverUrl, base } = await relay();
    const files = new PushAttachmentFiles(path.join(dir, 'alice'), serverUrl);
    // Text named .png: the relay types it by its name, the core by its bytes.
    const fake = await publish(base, '<svg onload="alert(1)"></svg>', 'fake.png');
    expect(fake.attachment.type).toBe('image/png');
    await expect(files.open(fake)).rejects.toMatchObject({ code: 'transfer_failed' });
    expect(fs.readdirSync(path.join(dir, 'alice', 'push-attachments'))).toEqual([]);

    const real = await publish(base, await png(), 'real.png');
    fs.rmSync(path.join(dir, 'relay', 'push-attachments', real.id));
    await expect(files.open(real)).rejects.toMatchObject({ code: 'attachment_missing' });
  });

  it('previews only images the relay itself keeps for that push, within the limit', () => {
    const serverUrl = 'https://relay.example.org';
    const kept: PushAttachment = { name: 'a.jpg', type: 'image/jpeg', size: 100, expires: 2e9, url: 'https://relay.example.org/file/Abc123.jpg' };
    const item = (attachment: Partial<PushAttachment>, id = 'Abc123') => ({ id, attachment: { ...kept, ...attachment } });
    expect(previewSource(item({}), serverUrl)).toBe('https://relay.example.org/file/Abc123.jpg');
    expect(previewSource(item({}), 'wss://relay.example.org/')).toBe('https://relay.example.org/file/Abc123.jpg');
    // A link the publisher gave (no size, no type), even to the relay.
    expect(previewSource({ id: 'Abc123', attachment: { name: 'a.jpg', url: kept.url } }, serverUrl)).toBeNull();
    expect(previewSource(item({ url: 'https://elsewhere.example.org/file/Abc123.jpg' }), serverUrl)).toBeNull();
    expect(previewSource(item({ url: 'http://relay.example.org/file/Abc123.jpg' }), serverUrl)).toBeNull();
    // Another push's file, or another path on the relay.
    expect(previewSource(item({}, 'Other1'), serverUrl)).toBeNull();
    expect(previewSource(item({ url: 'https://relay.example.org/v1/blobs/Abc123' }), serverUrl)).toBeNull();
    expect(previewSource(item({ url: 'https://relay.example.org/file/Abc123.jpg?x=1' }), serverUrl)).toBeNull();
    expect(previewSource(item({ type: 'image/svg+xml' }), serverUrl)).toBeNull();
    expect(previewSource(item({ type: 'text/plain; charset=utf-8' }), serverUrl)).toBeNull();
    expect(previewSource(item({ size: 15 * 1024 * 1024 + 1 }), serverUrl)).toBeNull();
    expect(previewSource({ id: 'Abc123', attachment: null }, serverUrl)).toBeNull();
  });

  it('knows images by their first bytes only', () => {
    expect(imageTypeOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('image/png');
    expect(imageTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(imageTypeOf(Buffer.from('GIF89a'))).toBe('image/gif');
    expect(imageTypeOf(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(imageTypeOf(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(imageTypeOf(Buffer.alloc(0))).toBeNull();
  });
});
