// Files on pushes, the way ntfy's documentation attaches them: `curl -T file -H "Filename: …"`, the
// query forms, `Attach: URL`, and a body too large to be a message. Checked against ntfy's JSON
// attachment object (name, type, size, expires in Unix seconds, url) and its limits (413, 41301).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import WebSocket from 'ws';
import type { RelayConfig } from '../../server/config.js';
import type { z } from 'zod';
import { httpUrl, onlineClient, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();
const run = promisify(execFile);

async function relayAt(config: Partial<z.input<typeof RelayConfig>> = {}) {
  const dir = tempDir();
  const relay = await testRelay(path.join(dir, 'relay'), 0, { config });
  cleanups.push(() => relay.close());
  return { dir, base: httpUrl(relay) };
}

/** curl, as a publisher runs it: its stdout parsed as the JSON answer, with the HTTP status. */
async function curl(args: string[]): Promise<{ status: number; json: Record<string, unknown> }> {
  const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', ...args]);
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  return { status, json: JSON.parse(lines.join('\n')) as Record<string, unknown> };
}

describe('attachments on pushes, as ntfy takes them', () => {
  it('curl -T with Filename stores the file and links it in every subscription format', async () => {
    const { dir, base } = await relayAt();
    const photo = path.join(dir, 'flower.jpg');
    fs.writeFileSync(photo, await sharp({ create: { width: 40, height: 30, channels: 3, background: '#e11d48' } }).jpeg().toBuffer());
    const before = Math.floor(Date.now() / 1000);

    const { status, json } = await curl(['-T', photo, '-H', 'Filename: flower.jpg', '-H', 'Title: garden', `${base}/photos`]);
    expect(status).toBe(200);
    expect(json).toMatchObject({ event: 'message', topic: 'photos', title: 'garden', message: 'You received a file: flower.jpg' });
    const attachment = json.attachment as { name: string; type: string; size: number; expires: number; url: string };
    expect(attachment).toEqual({
      name: 'flower.jpg',
      type: 'image/jpeg',
      size: fs.statSync(photo).size,
      expires: expect.any(Number),
      url: `${base}/file/${String(json.id)}.jpg`,
    });
    // ntfy's default: 3 hours.
    expect(attachment.expires).toBeGreaterThanOrEqual(before + 3 * 3600);
    expect(attachment.expires).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3 * 3600);

    const file = await fetch(attachment.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await file.arrayBuffer()).equals(fs.readFileSync(photo))).toBe(true);

    // The cached message carries it too: poll, and the SSE form.
    const polled = (await (await fetch(`${base}/photos/json?poll=1`)).text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(polled.at(-1)?.attachment).toEqual(attachment);
    const sse = await (await fetch(`${base}/photos/sse?poll=1`)).text();
    expect(sse).toContain(`"url":"${attachment.url}"`);
  });

  it('takes the query forms, a message beside the file, and names a body too large for a message', async () => {
    const { dir, base } = await relayAt();
    const log = path.join(dir, 'build.log');
    fs.writeFileSync(log, 'step 1 ok\n'.repeat(100));
    const named = await curl(['-T', log, `${base}/ci?filename=build.log&message=The+build+failed`]);
    expect(named.json).toMatchObject({ message: 'The build failed', attachment: { name: 'build.log', type: 'text/plain; charset=utf-8', size: 1000 } });

    // Over 4,096 bytes of text and no name: ntfy's attachment.txt.
    const long = await curl(['-d', 'x'.repeat(5000), `${base}/ci`]);
    expect(long.status).toBe(200);
    expect(long.json).toMatchObject({ message: 'You received a file: attachment.txt', attachment: { name: 'attachment.txt', size: 5000 } });
    expect((long.json.attachment as { url: string }).url).toMatch(/\/file\/[A-Za-z0-9]+\.txt$/);

    // An external file: a link, no upload (name from the URL).
    const linked = await curl(['-d', 'Nightly report', '-H', 'Attach: https://example.org/reports/2026-12-04.pdf', `${base}/ci`]);
    expect(linked.json).toMatchObject({ message: 'Nightly report', attachment: { name: '2026-12-04.pdf', url: 'https://example.org/reports/2026-12-04.pdf' } });
    expect((linked.json.attachment as Record<string, unknown>).size).toBeUndefined();
    const json = await curl(['-d', JSON.stringify({ topic: 'ci', message: 'JSON', attach: 'https://example.org/a.png', filename: 'shot.png' }), `${base}/`]);
    expect(json.json).toMatchObject({ attachment: { name: 'shot.png', url: 'https://example.org/a.png' } });
    const bad = await curl(['-d', 'x', '-H', 'Attach: ftp://example.org/a', `${base}/ci`]);
    expect(bad).toMatchObject({ status: 400, json: { code: 40013, http: 400 } });
  });

  it('answers 413 with ntfy’s 41301 over the file and total limits, and keeps serving', async () => {
    const { dir, base } = await relayAt({ pushAttachmentMaxBytes: '4K', pushAttachmentTotalBytes: '6K' });
    const big = path.join(dir, 'big.bin');
    fs.writeFileSync(big, Buffer.alloc(5000, 7));
    const tooLarge = await curl(['-T', big, `${base}/files`]);
    expect(tooLarge).toMatchObject({ status: 413, json: { code: 41301, http: 413 } });
    // Without a Content-Length (chunked), refused while it streams.
    const chunked = await curl(['-T', big, '-H', 'Transfer-Encoding: chunked', `${base}/files`]);
    expect(chunked).toMatchObject({ status: 413, json: { code: 41301 } });

    const small = path.join(dir, 'small.bin');
    fs.writeFileSync(small, Buffer.alloc(3500, 1));
    // (Named: 3,500 bytes of text would otherwise be a message.)
    expect((await curl(['-T', small, `${base}/files?filename=small.bin`])).status).toBe(200);
    // 3,500 kept: another 3,500 would pass the 6K total.
    expect((await curl(['-T', small, `${base}/files?filename=small.bin`])).json).toMatchObject({ code: 41301 });
    expect((await curl(['-d', 'still fine', `${base}/files`])).status).toBe(200);
    // Nothing of the refused uploads is left behind.
    expect(fs.readdirSync(path.join(dir, 'relay', 'push-attachments'))).toHaveLength(1);
  });

  it('reaches the app with its attachment, kept in the history across a restart', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'));
    cleanups.push(() => relay.close());
    const first = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    first.client.subscribePush('ops');
    const log = path.join(dir, 'crash.log');
    fs.writeFileSync(log, 'panic: out of memory\n');
    const published = await curl(['-T', log, '-H', 'Filename: crash.log', `${httpUrl(relay)}/ops`]);
    const item = await waitFor(() => first.client.pushList('ops', 10)[0], 5000, 'the push');
    expect(item.attachment).toEqual(published.json.attachment);
    await first.client.close();
    const again = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => again.client.close());
    expect(again.client.pushList('ops', 10)[0]?.attachment).toMatchObject({ name: 'crash.log', size: 21 });
  });

  it('serves 404 for a file that is not there', async () => {
    const { base } = await relayAt();
    const missing = await fetch(`${base}/file/AbCdEf123456.png`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 40401 });
  });
});

describe('attachments on pushes: ntfy’s edge cases, the app’s frames and expiry', () => {
  it('names the file in the message when none is given, takes an empty named file, and refuses a file that would expire before a delayed push', async () => {
    const { dir, base } = await relayAt();
    // ntfy: "You received a file: NAME" for a link without a message too, in headers, query and JSON.
    const linked = await curl(['-X', 'POST', '-H', 'Attach: https://example.org/reports/week-49.pdf', `${base}/ci`]);
    expect(linked.json).toMatchObject({ message: 'You received a file: week-49.pdf', attachment: { name: 'week-49.pdf', url: 'https://example.org/reports/week-49.pdf' } });
    const queried = await curl([`${base}/ci/publish?a=https://example.org/&filename=site.html`]);
    expect(queried.json).toMatchObject({ message: 'You received a file: site.html', attachment: { name: 'site.html', url: 'https://example.org/' } });
    const json = await curl(['-d', JSON.stringify({ topic: 'ci', attach: 'https://example.org/' }), `${base}/`]);
    expect(json.json).toMatchObject({ message: 'You received a file: attachment', attachment: { name: 'attachment' } });

    // A Filename makes the body a file even when it is empty or short text (ntfy's case 4).
    const empty = path.join(dir, 'empty.txt');
    fs.writeFileSync(empty, '');
    const stored = await curl(['-T', empty, '-H', 'X-Filename: empty.txt', `${base}/ci`]);
    expect(stored.json).toMatchObject({ message: 'You received a file: empty.txt', attachment: { name: 'empty.txt', size: 0 } });
    const file = await fetch((stored.json.attachment as { url: string }).url);
    expect(file.status).toBe(200);
    expect(await file.text()).toBe('');

    // Delayed past the 3-hour expiry: 400 with ntfy's 40015, nothing stored.
    const before = fs.readdirSync(path.join(dir, 'relay', 'push-attachments')).length;
    const late = await curl(['-T', empty, '-H', 'Filename: late.txt', '-H', 'Delay: 4h', `${base}/ci`]);
    expect(late).toMatchObject({ status: 400, json: { code: 40015, http: 400 } });
    expect(fs.readdirSync(path.join(dir, 'relay', 'push-attachments'))).toHaveLength(before);
    const soon = await curl(['-T', empty, '-H', 'Filename: soon.txt', '-H', 'Delay: 2h', `${base}/ci`]);
    expect(soon.status).toBe(200);
  });

  it('carries the attachment object on the ntfy WebSocket stream', async () => {
    const { dir, base } = await relayAt();
    const socket = new WebSocket(`${base.replace('http', 'ws')}/cams/ws`);
    cleanups.push(() => socket.close());
    const frames: Record<string, unknown>[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as Record<string, unknown>));
    await waitFor(() => frames.find((f) => f.event === 'open'), 5000, 'the open event');
    const shot = path.join(dir, 'shot.png');
    fs.writeFileSync(shot, await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer());
    const published = await curl(['-T', shot, `${base}/cams`]);
    const frame = await waitFor(() => frames.find((f) => f.event === 'message'), 5000, 'the message');
    expect(frame.attachment).toEqual(published.json.attachment);
    expect(frame.attachment).toMatchObject({ name: 'attachment.png', type: 'image/png', size: fs.statSync(shot).size });
  });

  it('stops serving a file when it expires, and deletes it at the next prune', async () => {
    const dir = tempDir();
    let now = Date.now();
    const data = path.join(dir, 'relay');
    const first = await testRelay(data, 0, { now: () => now });
    const log = path.join(dir, 'build.log');
    fs.writeFileSync(log, 'ok\n');
    const published = await curl(['-T', log, '-H', 'Filename: build.log', `${httpUrl(first)}/ci`]);
    const attachment = published.json.attachment as { url: string; expires: number };
    expect(attachment.expires).toBe(Math.floor(now / 1000) + 3 * 3600);
    expect((await fetch(attachment.url)).status).toBe(200);

    now += 3 * 3600_000;
    const expired = await fetch(attachment.url);
    expect(expired.status).toBe(404);
    expect(await expired.json()).toMatchObject({ code: 40401 });
    expect(fs.readdirSync(path.join(data, 'push-attachments'))).toHaveLength(1);
    await first.close();

    // The prune (hourly, and at start) deletes it, and its size no longer counts toward the total.
    const again = await testRelay(data, 0, { now: () => now });
    cleanups.push(() => again.close());
    await waitFor(() => fs.readdirSync(path.join(data, 'push-attachments')).length === 0, 5000, 'the file deleted');
  });
});
