// The first-run form's "is this username free?" against a real relay: through the service the page
// talks to, and the relay's HTTP answer as any client (curl) gets it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientService } from '../../core/service.js';
import { checkUsername } from '../../core/username-check.js';
import { fakeRelay, httpUrl, onlineService, relayIn, tempDir, useCleanups } from '../helpers.js';

const cleanups = useCleanups();

describe('checking a username before registering', () => {
  it('says taken for a registered name and available for a free one, in any case', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const serverUrl = httpUrl(relay);
    await onlineService(cleanups, dir, serverUrl, 'alice');

    const newcomer = new ClientService({ profileDir: path.join(dir, 'newcomer'), defaultServerUrl: serverUrl });
    cleanups.push(() => newcomer.close());
    await newcomer.start();
    expect(await newcomer.call('account:checkUsername', { serverUrl, username: 'alice' })).toEqual({ state: 'taken' });
    expect(await newcomer.call('account:checkUsername', { serverUrl, username: 'Alice' })).toEqual({ state: 'taken' });
    expect(await newcomer.call('account:checkUsername', { serverUrl, username: 'bob' })).toEqual({ state: 'available' });
    // A name the relay would refuse never reaches it: the IPC contract refuses it first.
    await expect(newcomer.call('account:checkUsername', { serverUrl, username: 'a b' })).rejects.toMatchObject({ code: 'bad_request' });

    const free = await fetch(`${serverUrl}/v1/usernames/bob`);
    expect(await free.json()).toEqual({ username: 'bob', available: true });
    const bad = await fetch(`${serverUrl}/v1/usernames/${encodeURIComponent('no spaces')}`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ http: 400, field: 'username' });
  });

  it('is unknown, not an error, where no relay answers the question', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const closedPort = httpUrl(relay);
    await relay.close();
    expect(await checkUsername(closedPort, 'alice')).toBe('unknown');
    // Something at the address that is not a relay (or a relay from before the question): 404.
    const other = await fakeRelay(cleanups, () => undefined);
    expect(await checkUsername(other.url, 'alice')).toBe('unknown');
  });
});
