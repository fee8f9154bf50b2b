// The web host's file routes as the page uses them: a file posted to /stage is encrypted and sent
// with a message; /attachments/<id> serves the plaintext back, in ranges, as a download, and never
// as something that could run script on the app's origin. Only this host's own page gets either.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StagedAttachment } from '../../shared/attachment.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { STAGE_OPTIONS_HEADER } from '../../shared/ipc-attachments.js';
import { onlineClient, useCleanups, waitFor } from '../helpers.js';
import { aliceOnline } from '../web-tab.js';

const cleanups = useCleanups();

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function request(url: string, options: http.RequestOptions, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function setUp() {
  const { dir, relay, host, tab } = await aliceOnline(cleanups);
  const bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
  cleanups.push(() => bob.client.close());
  await tab.call('conversations:open', { username: 'bob' });
  return { host, tab, bob, origin: tab.origin, cookie: tab.cookie };
}

const stageHeaders = (cookie: string, origin: string, options: object) => ({
  cookie,
  origin,
  'content-type': 'application/octet-stream',
  [STAGE_OPTIONS_HEADER]: encodeURIComponent(JSON.stringify(options)),
});

describe('the web host’s file routes', () => {
  it('stages a posted file, sends it, and serves its plaintext whole, in ranges and as a download', async () => {
    const { tab, bob, origin, cookie } = await setUp();
    const bytes = randomBytes(300_000);
    const staged = await request(`${origin}/stage`, { method: 'POST', headers: stageHeaders(cookie, origin, { name: 'Bericht ü.pdf', type: 'application/pdf' }) }, bytes);
    expect(staged.status).toBe(200);
    const attachment = JSON.parse(staged.body.toString()) as StagedAttachment;
    expect(attachment).toMatchObject({ name: 'Bericht ü.pdf', type: 'application/pdf', kind: 'file', size: bytes.length });

    const sent = await tab.call<ChatMessage>('messages:send', { conversationId: 'bob', text: 'the report', attachments: [attachment.stagedId] });
    expect(sent.attachments?.[0]?.id).toBe(attachment.stagedId);
    const arrived = await waitFor(() => bob.received.find((m) => m.id === sent.id), 20_000, 'bob receives it');
    expect(arrived.text).toBe('the report');
    const view = await bob.client.downloadAttachment(attachment.stagedId);
    expect(view.state).toBe('ready');

    const url = `${origin}/attachments/${attachment.stagedId}`;
    const whole = await request(url, { headers: { cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('application/pdf');
    expect(whole.headers['cache-control']).toBe('no-store');
    expect(whole.headers['content-security-policy']).toContain('sandbox');
    expect(whole.body.equals(bytes)).toBe(true);

    const part = await request(url, { headers: { cookie, range: 'bytes=65530-70000' } });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 65530-70000/${bytes.length}`);
    expect(part.body.equals(bytes.subarray(65530, 70001))).toBe(true);

    const beyond = await request(url, { headers: { cookie, range: `bytes=${bytes.length + 10}-` } });
    expect(beyond.status).toBe(416);

    const download = await request(`${url}?download=1`, { headers: { cookie } });
    expect(download.headers['content-disposition']).toBe(`attachment; filename="Bericht _.pdf"; filename*=UTF-8''Bericht%20%C3%BC.pdf`);
  });

  it('never serves a file that could run script as itself on the app’s origin', async () => {
    const { tab, origin, cookie } = await setUp();
    const html = Buffer.from('<script>parent.warbler.invoke("vault:reset", {})</script>');
    const staged = await request(`${origin}/stage`, { method: 'POST', headers: stageHeaders(cookie, origin, { name: 'page.html', type: 'text/html' }) }, html);
    const { stagedId } = JSON.parse(staged.body.toString()) as StagedAttachment;
    await tab.call('messages:send', { conversationId: 'bob', text: '', attachments: [stagedId] });
    const answer = await request(`${origin}/attachments/${stagedId}`, { headers: { cookie } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['content-disposition']).toMatch(/^attachment;/);
  });

  it('answers only its own page: no session, another origin, an unknown id', async () => {
    const { origin, cookie } = await setUp();
    const options = { name: 'x.bin', type: 'application/octet-stream' };
    const body = Buffer.from('hello');
    const noSession = await request(`${origin}/stage`, { method: 'POST', headers: { ...stageHeaders('', origin, options) } }, body);
    expect(noSession.status).toBe(401);
    const elsewhere = await request(`${origin}/stage`, { method: 'POST', headers: stageHeaders(cookie, 'http://evil.example', options) }, body);
    expect(elsewhere.status).toBe(403);
    const badOptions = await request(`${origin}/stage`, { method: 'POST', headers: stageHeaders(cookie, origin, { name: '../x', type: 'nope' }) }, body);
    expect(badOptions.status).toBe(400);
    expect(JSON.parse(badOptions.body.toString())).toMatchObject({ code: 'bad_request' });
    const unknown = await request(`${origin}/attachments/AAAAAAAAAAAAAAAAAAAAAA`, { headers: { cookie } });
    expect(unknown.status).toBe(404);
    const withoutCookie = await request(`${origin}/attachments/AAAAAAAAAAAAAAAAAAAAAA`, {});
    expect(withoutCookie.status).toBe(401);
  });
});
