// The answer both hosts give the page for /attachments/<id>: ranges for media seeking, downloads
// under the file's own name, and nothing that could run script on the app's origin. The core's
// openAttachment is stood in for by one with its contract (bytes start..end, bad_request outside
// the file, unknown_attachment when absent); tests/integration/web-files.test.ts runs the real one.
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { answerAttachment, appAttachmentUrl, contentDisposition, isActiveType, parseRange, type Open } from './attachment-response.js';

const ID = 'AbCdEfGhIjKlMnOpQrStUv';
const body = 'The ferry leaves at 9:40 from platform 3.';

function opener(type: string, name = 'notes.txt', content = body): Open {
  return async (id, range) => {
    if (id !== ID) throw Object.assign(new Error('not here'), { code: 'unknown_attachment' });
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? content.length - 1, content.length - 1);
    if (content.length > 0 && start > end) throw Object.assign(new Error('outside'), { code: 'bad_request' });
    const bytes = Buffer.from(content).subarray(start, end + 1);
    return { body: Readable.from([bytes]), type, name, size: content.length, start, end };
  };
}

const get = (open: Open, path: string, range?: string, method = 'GET') => {
  const url = new URL(path, 'http://host');
  return answerAttachment(open, { method, pathname: url.pathname, search: url.searchParams, range });
};

describe('answering the page for an attachment', () => {
  it('serves the whole file with its type, length, ranges offered, sandboxed and never cached', async () => {
    const answer = await get(opener('text/plain'), `/attachments/${ID}`);
    expect(answer.status).toBe(200);
    expect(answer.headers).toMatchObject({
      'content-type': 'text/plain',
      'content-length': String(body.length),
      'accept-ranges': 'bytes',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      'content-disposition': `inline; filename="notes.txt"; filename*=UTF-8''notes.txt`,
    });
    expect(answer.headers['content-security-policy']).toBe("sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'");
    expect(await text(answer.body!)).toBe(body);
  });

  it('answers a range with 206 and Content-Range (video and audio seek this way), and 416 outside the file', async () => {
    const part = await get(opener('video/mp4', 'ferry.mp4'), `/attachments/${ID}`, 'bytes=4-9');
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 4-9/${body.length}`);
    expect(part.headers['content-length']).toBe('6');
    expect(await text(part.body!)).toBe(body.slice(4, 10));

    const tail = await get(opener('video/mp4', 'ferry.mp4'), `/attachments/${ID}`, 'bytes=20-');
    expect(tail.status).toBe(206);
    expect(tail.headers['content-range']).toBe(`bytes 20-${body.length - 1}/${body.length}`);
    expect(await text(tail.body!)).toBe(body.slice(20));

    const beyond = await get(opener('video/mp4', 'ferry.mp4'), `/attachments/${ID}`, `bytes=${body.length + 5}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe('bytes */*');
  });

  it('offers a download under the file name, in ASCII and in UTF-8 (RFC 6266 / 5987)', async () => {
    const answer = await get(opener('application/pdf', 'Bericht ü "final".pdf'), `/attachments/${ID}?download=1`);
    expect(answer.headers['content-disposition']).toBe(`attachment; filename="Bericht _ _final_.pdf"; filename*=UTF-8''Bericht%20%C3%BC%20%22final%22.pdf`);
    expect(contentDisposition('attachment', '报告.txt')).toBe(`attachment; filename="__.txt"; filename*=UTF-8''%E6%8A%A5%E5%91%8A.txt`);
  });

  it('never shows HTML, SVG or any XML as itself: as text, and saved rather than opened', async () => {
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'text/xml', 'application/xml', 'application/rss+xml', 'text/javascript', 'TEXT/HTML']) {
      const viewed = await get(opener(type, 'page.html'), `/attachments/${ID}`);
      expect(viewed.headers['content-type'], type).toBe('text/plain; charset=utf-8');
      expect(viewed.headers['content-disposition'], type).toMatch(/^attachment;/);
      const saved = await get(opener(type, 'page.html'), `/attachments/${ID}?download=1`);
      expect(saved.headers['content-disposition'], type).toMatch(/^attachment;/);
    }
    for (const type of ['image/png', 'image/gif', 'video/webm', 'audio/ogg', 'application/pdf', 'text/plain']) expect(isActiveType(type), type).toBe(false);
  });

  it('HEAD has the headers and no body; other methods, other paths and absent files are refused', async () => {
    const head = await get(opener('image/png', 'a.png'), `/attachments/${ID}`, undefined, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(head.headers['content-length']).toBe(String(body.length));
    expect((await get(opener('image/png'), `/attachments/${ID}`, undefined, 'POST')).status).toBe(405);
    expect((await get(opener('image/png'), '/attachments/../../etc/passwd')).status).toBe(404);
    expect((await get(opener('image/png'), '/attachments/AAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
  });

  it('an empty file is 200 with no bytes, even when a range was asked', async () => {
    const answer = await get(opener('text/plain', 'empty.txt', ''), `/attachments/${ID}`, 'bytes=0-');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe('0');
    expect(answer.headers['content-range']).toBeUndefined();
  });

  it('reads only single byte ranges; anything else gets the whole file', () => {
    expect(parseRange('bytes=0-')).toEqual({ start: 0 });
    expect(parseRange('bytes=10-20')).toEqual({ start: 10, end: 20 });
    for (const header of [undefined, '', 'bytes=-500', 'bytes=0-1,5-6', 'bytes=20-10', 'items=0-1', 'bytes=a-b']) expect(parseRange(header), String(header)).toBeNull();
  });

  it('knows the desktop app\'s own attachment addresses (Open shows those in a window of their own), and nothing else', () => {
    expect(appAttachmentUrl(`app://warbler/attachments/${ID}`)).toBe(`app://warbler/attachments/${ID}`);
    expect(appAttachmentUrl(`app://warbler/attachments/${ID}?x=1#y`)).toBe(`app://warbler/attachments/${ID}`);
    for (const url of [
      `app://evil/attachments/${ID}`,
      `app://user@warbler/attachments/${ID}`,
      `https://warbler/attachments/${ID}`,
      `app://warbler/index.html`,
      `app://warbler/attachments/${ID}/../../index.html`,
      'app://warbler/attachments/short',
      'not a url',
    ]) expect(appAttachmentUrl(url), url).toBeNull();
  });
});
