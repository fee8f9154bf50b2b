// Errors as the page gets them: alice's browser tab talks to the real web host over its bridge, the
// host to a real relay. A refusal arrives as its code from the error table with the params its text
// needs; an unexpected failure arrives as `internal` and nothing more, and its detail is in the log.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientService, ServiceError } from '../../core/service.js';
import { startWebHost, type WebHost } from '../../web/host/host.js';
import { BRIDGE_PATH, BridgeReply, type IpcError } from '../../shared/ipc.js';
import { SETTINGS_FILE } from '../../core/settings-store.js';
import { httpUrl, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

/** A browser tab of the web host: admitted with the printed link, then calls over the bridge, as the shim does. */
async function openTab(host: WebHost) {
  const link = new URL(host.url);
  const cookie = await new Promise<string>((resolve, reject) =>
    http.get(link, (res) => resolve(String(res.headers['set-cookie']?.[0] ?? '').split(';')[0]!)).on('error', reject),
  );
  const ws = new WebSocket(`ws://${link.host}${BRIDGE_PATH}`, { headers: { origin: link.origin, cookie } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  cleanups.push(() => ws.close());
  let next = 1;
  /** The reply as the shim validates it: a response, or the IpcError. */
  return async (channel: string, request: object): Promise<{ ok: true; response: unknown } | { ok: false; error: IpcError }> => {
    const id = next++;
    const reply = await new Promise<BridgeReply>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const frame = BridgeReply.parse(JSON.parse(data.toString()));
        if (frame.kind === 'reply' && frame.id === id) {
          ws.off('message', onMessage);
          resolve(frame);
        }
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify({ id, channel, request }));
    });
    if (reply.kind !== 'reply') throw new Error('not a reply');
    return reply.ok ? { ok: true, response: reply.response } : { ok: false, error: reply.error };
  };
}

function readLogs(dir: string): string {
  return fs
    .readdirSync(dir)
    .map((name) => fs.readFileSync(path.join(dir, name), 'utf8'))
    .join('');
}

/** The page the web host serves is not what this test is about: a stand-in keeps it off the build. */
function stubRenderer(dir: string): string {
  const rendererDir = path.join(dir, 'renderer');
  fs.mkdirSync(rendererDir);
  fs.writeFileSync(path.join(rendererDir, 'web.html'), '<!doctype html><div id="root"></div>');
  return rendererDir;
}

describe('errors over IPC, against a real relay', () => {
  it('a refusal by the relay arrives as its code, with the params the app’s text needs', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const serverUrl = httpUrl(relay);
    const alice = new ClientService({ profileDir: path.join(dir, 'alice'), defaultServerUrl: serverUrl });
    cleanups.push(() => alice.close());
    await alice.start();
    await alice.call('account:register', { serverUrl, username: 'alice' });

    const host = await startWebHost({ profileDir: path.join(dir, 'bob'), port: 0, defaultServerUrl: serverUrl, rendererDir: stubRenderer(dir) });
    cleanups.push(() => host.close());
    const call = await openTab(host);

    // The name is taken whatever its case: the code says so; the English message is for logs.
    const taken = await call('account:register', { serverUrl, username: 'Alice' });
    expect(taken).toEqual({ ok: false, error: { code: 'username_taken', message: 'the username "alice" is taken' } });

    expect(await call('account:register', { serverUrl, username: 'bob' })).toMatchObject({ ok: true });
    await waitFor(() => host.service.current?.connectionState === 'online', 10_000, 'bob online');
    expect(await call('conversations:open', { username: 'nobody' })).toEqual({
      ok: false,
      error: { code: 'unknown_recipient', message: 'no user is called "nobody"', params: { username: 'nobody' } },
    });
    // In a group, the params say which of the members does not exist.
    expect(await call('groups:create', { name: 'lunch', members: ['alice', 'ghost'] })).toMatchObject({
      ok: false,
      error: { code: 'unknown_recipient', params: { username: 'ghost' } },
    });
    // A request the contract refuses names the field to fix.
    expect(await call('conversations:open', { username: 'no spaces' })).toMatchObject({ ok: false, error: { code: 'bad_request', params: { field: 'username' } } });
    // ClientService.call (tools, tests) throws the same code and params.
    await expect(alice.call('conversations:open', { username: 'nobody' })).rejects.toMatchObject({
      constructor: ServiceError,
      code: 'unknown_recipient',
      params: { username: 'nobody' },
    });
  });

  it('an unexpected failure reaches the page as `internal` alone; its detail goes to the host’s log', async () => {
    const dir = tempDir();
    const profileDir = path.join(dir, 'carol');
    const host = await startWebHost({ profileDir, port: 0, defaultServerUrl: 'http://127.0.0.1:1', rendererDir: stubRenderer(dir) });
    let open = true;
    cleanups.push(() => open && host.close());
    const call = await openTab(host);
    expect(await call('settings:set', { closeToTray: false })).toMatchObject({ ok: true });

    // The disk refuses the settings file (a folder now holds its name): nothing anyone planned for.
    fs.rmSync(path.join(profileDir, SETTINGS_FILE));
    fs.mkdirSync(path.join(profileDir, SETTINGS_FILE, 'in-the-way'), { recursive: true });
    expect(await call('settings:set', { closeToTray: true })).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });

    await host.close();
    open = false;
    const failed = readLogs(host.logsDir!)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg?: string; channel?: string; level?: number; err?: { code?: string; message?: string; stack?: string } })
      .filter((line) => line.msg === 'request failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 50, channel: 'settings:set', err: { code: expect.stringMatching(/^E(ISDIR|NOTEMPTY|EXIST)$/) } });
    expect(failed[0]!.err!.stack).toMatch(/^\s+at /);
  });
});
