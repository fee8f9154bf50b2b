// The web host serves the built renderer and bridges window.warbler — only for its own page.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startWebHost, type WebHost } from '../../web/host/host.js';
import { BRIDGE_PATH } from '../../shared/ipc-transport.js';
import { LOCK_FILE } from '../../core/vault/profile-lock.js';
import { tempDir } from '../helpers.js';

let host: WebHost;
let origin: string;
let cookie: string;

beforeAll(async () => {
  const dir = tempDir();
  host = await startWebHost({
    profileDir: path.join(dir, 'profile'),
    port: 0,
    defaultServerUrl: 'http://127.0.0.1:1',
    rendererDir: path.resolve('dist/renderer'),
  });
  origin = new URL(host.url).origin;
  const admitted = await get(new URL(host.url).pathname + new URL(host.url).search);
  expect(admitted.status).toBe(303);
  expect(admitted.headers['set-cookie']?.[0]).toMatch(/HttpOnly; SameSite=Strict/);
  cookie = String(admitted.headers['set-cookie']?.[0] ?? '').split(';')[0]!;
});

afterAll(() => host.close());

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${origin}${pathname}`, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function bridge(headers: Record<string, string>): Promise<WebSocket> {
  const ws = new WebSocket(`${origin.replace('http', 'ws')}${BRIDGE_PATH}`, { headers });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`status ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, frame: object): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString()) as Record<string, unknown>));
    ws.send(JSON.stringify(frame));
  });
}

describe('web host', () => {
  it('admits a browser only through the printed link, once, then by an HttpOnly cookie of its own', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=guess')).status).toBe(401);
    const link = new URL(host.url);
    // beforeAll followed the link: it lets no other browser in.
    expect((await get(`/?${link.searchParams.toString()}`)).status).toBe(401);
    expect(cookie).toMatch(/^warbler_\d+=[A-Za-z0-9_-]{43}$/);
    expect(cookie).not.toContain(link.searchParams.get('token'));
    // The browser it let in may follow it again (a second tab), and keeps its session.
    const again = await get(`/?${link.searchParams.toString()}&lang=en`, { cookie });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/?lang=en');
    expect(again.headers['set-cookie']).toBeUndefined();
    expect((await get('/', { cookie })).status).toBe(200);
  });

  it('serves the web page with a strict CSP', async () => {
    const page = await get('/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('refuses other Host names (DNS rebinding) and paths outside the bundle', async () => {
    expect((await get('/', { host: 'evil.example:80', cookie })).status).toBe(421);
    expect((await get('/../../package.json', { cookie })).status).toBeGreaterThanOrEqual(400);
    expect((await get('/%2e%2e/%2e%2e/package.json', { cookie })).status).toBeGreaterThanOrEqual(400);
  });

  it('opens the bridge only to its own page, with the session cookie', async () => {
    await expect(bridge({ origin: 'https://evil.example', cookie })).rejects.toThrow(/403/);
    await expect(bridge({ cookie })).rejects.toThrow(/403/);
    await expect(bridge({ origin })).rejects.toThrow(/403/);
    const port = new URL(origin).port;
    const viaLocalhost = await bridge({ origin: `http://localhost:${port}`, host: `localhost:${port}`, cookie });
    viaLocalhost.close();
    const ws = await bridge({ origin, cookie });
    const snapshot = await call(ws, { id: 1, channel: 'app:snapshot', request: {} });
    expect(snapshot).toMatchObject({ kind: 'reply', id: 1, ok: true, response: { profile: null, connection: 'offline' } });
    ws.close();
  });

  it('answers unknown channels and invalid requests with a clear error', async () => {
    const ws = await bridge({ origin, cookie });
    expect(await call(ws, { id: 2, channel: 'fs:readFile', request: {} })).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(await call(ws, { id: 3, channel: 'account:register', request: { serverUrl: 'http://x', username: '!' } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await call(ws, { id: 4, channel: 'messages:send', request: { conversationId: 'bob', text: 'hi' } })).toMatchObject({
      ok: false,
      error: { code: 'no_profile' },
    });
    const refused = await call(ws, { id: 5, channel: 'account:register', request: { serverUrl: 'http://127.0.0.1:1', username: 'alice' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'offline' } });
    ws.close();
  });

  it('rejects a port already in use, and leaves the profile free for the next start', async () => {
    const profileDir = path.join(tempDir(), 'profile');
    const start = (port: number) =>
      startWebHost({ profileDir, port, defaultServerUrl: 'http://127.0.0.1:1', rendererDir: path.resolve('dist/renderer') });
    await expect(start(Number(new URL(origin).port))).rejects.toThrow(/EADDRINUSE/);
    // The service had started (it took the profile's lock) before the port was refused.
    expect(fs.existsSync(path.join(profileDir, LOCK_FILE))).toBe(false);
    const again = await start(0);
    expect(fs.existsSync(path.join(profileDir, LOCK_FILE))).toBe(true);
    await again.close();
  });
});
