// The web host's /push-attachments/<push id>: the image attached to a push, fetched by the core from
// the relay and served to the page on its own origin (its CSP allows no other), with a sandbox and
// the type the image's bytes say; 404 for a push without one; nothing without the page's session.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { httpUrl, useCleanups, waitFor } from '../helpers.js';
import { aliceOnline } from '../web-tab.js';

const cleanups = useCleanups();

function get(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

describe('push image previews through the web host', () => {
  it('serves the image of a push to its own page only, and 404 for pushes without one', async () => {
    const { relay, host, tab } = await aliceOnline(cleanups);
    await tab.call('push:subscribe', { topic: 'cams' });
    const link = new URL(host.url);
    const cookie = tab.cookie;

    const image = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#e11d48' } }).webp().toBuffer();
    const publish = (body: Buffer | string, headers: Record<string, string>) =>
      fetch(`${httpUrl(relay)}/cams`, { method: 'PUT', headers, body }).then((r) => r.json() as Promise<{ id: string }>);
    const withImage = await publish(image, { Filename: 'snap' });
    const withText = await publish('just words', {});
    const withLog = await publish('log line\n', { Filename: 'run.log' });
    await waitFor(() => host.service.current?.pushList('cams', 10).length === 3, 10_000, 'the pushes');

    const served = await get(`${link.origin}/push-attachments/${withImage.id}`, { cookie });
    expect(served.status).toBe(200);
    expect(served.body.equals(image)).toBe(true);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.headers['content-security-policy']).toMatch(/^sandbox;/);

    for (const id of [withText.id, withLog.id, 'NoSuchPush1', '..%2Fhistory.db']) {
      expect((await get(`${link.origin}/push-attachments/${id}`, { cookie })).status, id).toBe(404);
    }
    // Without the page's session cookie: not even an answer about it.
    expect((await get(`${link.origin}/push-attachments/${withImage.id}`, {})).status).toBe(401);
  });
});
