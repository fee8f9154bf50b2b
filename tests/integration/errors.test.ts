// Errors as the page gets them: alice's browser tab talks to the real web host over its bridge, the
// host to a real relay. A refusal arrives as its code from the error table with the params its text
// needs; an unexpected failure arrives as `internal` and nothing more, and its detail is in the log.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientService } from '../../core/service.js';
import { ServiceError } from '../../core/ipc-errors.js';
import { startWebHost } from '../../web/host/host.js';
import { SETTINGS_FILE } from '../../core/settings-store.js';
import { httpUrl, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';
import { readLogs, stubRenderer, WebTab } from '../web-tab.js';

const cleanups = useCleanups();

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
    const tab = await WebTab.open(host);
    cleanups.push(() => tab.close());

    // The name is taken whatever its case: the code says so; the English message is for logs.
    const taken = await tab.reply('account:register', { serverUrl, username: 'Alice' });
    expect(taken).toEqual({ ok: false, error: { code: 'username_taken', message: 'the username "alice" is taken' } });

    expect(await tab.reply('account:register', { serverUrl, username: 'bob' })).toMatchObject({ ok: true });
    await waitFor(() => host.service.current?.connectionState === 'online', 10_000, 'bob online');
    expect(await tab.reply('conversations:open', { username: 'nobody' })).toEqual({
      ok: false,
      error: { code: 'unknown_recipient', message: 'no user is called "nobody"', params: { username: 'nobody' } },
    });
    // A chat with oneself is "Note to self", however the name is written: one conversation, one member.
    for (const username of ['bob', 'Bob']) {
      expect(await tab.reply('conversations:open', { username })).toMatchObject({ ok: true, response: { id: 'bob', kind: 'direct', members: ['bob'] } });
    }
    expect(await tab.reply('conversations:list', {})).toMatchObject({ ok: true, response: [{ id: 'bob' }] });
    // In a group, the params say which of the members does not exist.
    expect(await tab.reply('groups:create', { name: 'lunch', members: ['alice', 'ghost'] })).toMatchObject({
      ok: false,
      error: { code: 'unknown_recipient', params: { username: 'ghost' } },
    });
    // A request the contract refuses names the field to fix.
    expect(await tab.reply('conversations:open', { username: 'no spaces' })).toMatchObject({ ok: false, error: { code: 'bad_request', params: { field: 'username' } } });
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
    const tab = await WebTab.open(host);
    cleanups.push(() => tab.close());
    expect(await tab.reply('settings:set', { closeToTray: false })).toMatchObject({ ok: true });

    // The disk refuses the settings file (a folder now holds its name): nothing anyone planned for.
    fs.rmSync(path.join(profileDir, SETTINGS_FILE));
    fs.mkdirSync(path.join(profileDir, SETTINGS_FILE, 'in-the-way'), { recursive: true });
    expect(await tab.reply('settings:set', { closeToTray: true })).toEqual({ ok: false, error: { code: 'internal', message: 'internal error' } });

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
