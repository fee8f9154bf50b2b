// The IPC contract's vault channels, through the same ClientService the app and the web host run,
// with the OS keyring behind its interface (in memory) and a real relay.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../core/ipc-errors.js';
import { ClientService } from '../../core/service.js';
import type { KeySource } from '../../core/vault/vault.js';
import type { IpcEventMessage } from '../../shared/ipc-transport.js';
import { MemoryKeyring } from '../memory-keyring.js';
import { httpUrl, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

async function service(profileDir: string, keys: KeySource) {
  const svc = new ClientService({ profileDir, defaultServerUrl: 'http://127.0.0.1:1', keys });
  const events: IpcEventMessage[] = [];
  svc.on('event', (e) => events.push(e));
  await svc.start();
  cleanups.push(() => svc.close());
  return { svc, events };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ServiceError);
  return err as ServiceError;
}

describe('the vault over IPC', () => {
  it('without a keyring: choose a passphrase, register, then every start asks for it; a keyring found later takes over', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const profileDir = path.join(dir, 'profile');
    const basic = new MemoryKeyring('basic_text', false);
    const { svc } = await service(profileDir, { kind: 'keyring', keyring: basic });
    expect((await svc.call('app:snapshot', {})).vault).toEqual({ state: 'choose-passphrase', currentBackend: 'basic_text', existingProfile: false });
    expect(await failure(svc.call('account:register', { serverUrl: httpUrl(relay), username: 'alice' }))).toMatchObject({ code: 'choose_passphrase' });
    expect(await failure(svc.call('vault:setPassphrase', { passphrase: 'short' }))).toMatchObject({ code: 'bad_request' });
    expect(await svc.call('vault:setPassphrase', { passphrase: 'the passphrase alice chose' })).toEqual({
      state: 'ready',
      keyring: null,
      passphrase: 'primary',
      keyFile: false,
    });
    await svc.call('account:register', { serverUrl: httpUrl(relay), username: 'alice' });
    await svc.call('conversations:list', {});
    await svc.close();

    const next = await service(profileDir, { kind: 'keyring', keyring: basic });
    const snapshot = await next.svc.call('app:snapshot', {});
    expect(snapshot.profile).toBeNull();
    expect(snapshot.vault).toEqual({
      state: 'locked',
      reason: 'passphrase-required',
      recordedBackend: null,
      currentBackend: 'basic_text',
      hasPassphrase: true,
      account: { username: 'alice', serverUrl: httpUrl(relay) },
    });
    expect(await failure(next.svc.call('conversations:list', {}))).toMatchObject({ code: 'no_profile' });
    expect(await failure(next.svc.call('vault:unlock', { passphrase: 'not the passphrase' }))).toEqual(
      expect.objectContaining({ code: 'wrong_passphrase', message: 'wrong passphrase' }),
    );
    await next.svc.call('vault:unlock', { passphrase: 'the passphrase alice chose' });
    expect((await next.svc.call('app:snapshot', {})).profile).toMatchObject({ username: 'alice' });
    expect(next.events.map((e) => e.event)).toEqual(expect.arrayContaining(['profile', 'vault']));
    await waitFor(() => next.svc.current?.connectionState === 'online', 10_000, 'online after unlock');
    await next.svc.close();

    const libsecret = new MemoryKeyring('gnome_libsecret');
    const withKeyring = await service(profileDir, { kind: 'keyring', keyring: libsecret });
    await withKeyring.svc.call('vault:unlock', { passphrase: 'the passphrase alice chose' });
    await withKeyring.svc.close();
    const automatic = await service(profileDir, { kind: 'keyring', keyring: libsecret });
    expect(await automatic.svc.call('app:snapshot', {})).toMatchObject({
      profile: { username: 'alice' },
      vault: { state: 'ready', keyring: 'gnome_libsecret', passphrase: 'recovery' },
    });
  });

  it('a keyring change with no recovery passphrase: the reset sets the profile aside and the first-run screen follows', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const profileDir = path.join(dir, 'profile');
    const first = await service(profileDir, { kind: 'keyring', keyring: new MemoryKeyring('keychain') });
    await first.svc.call('account:register', { serverUrl: httpUrl(relay), username: 'alice' });
    expect(await first.svc.call('vault:status', {})).toEqual({ state: 'ready', keyring: 'keychain', passphrase: 'none', keyFile: false });
    expect(await failure(first.svc.call('vault:reset', {}))).toMatchObject({ code: 'not_locked' });
    await first.svc.close();

    const after = await service(profileDir, { kind: 'keyring', keyring: new MemoryKeyring('keychain') });
    expect((await after.svc.call('app:snapshot', {})).vault).toMatchObject({ state: 'locked', reason: 'keyring-changed', hasPassphrase: false });
    const { movedTo } = await after.svc.call('vault:reset', {});
    expect(fs.readdirSync(movedTo).sort()).toEqual(['history-key.json', 'history.sqlite', 'profile.json']);
    expect(await after.svc.call('app:snapshot', {})).toMatchObject({ profile: null, vault: { state: 'ready' } });
    expect(after.events.at(-1)).toEqual({ event: 'vault', payload: { state: 'ready', keyring: null, passphrase: 'none', keyFile: false } });
    // A fresh profile: a new device, under a new name (the old one is still alice's on the relay).
    await after.svc.call('account:register', { serverUrl: httpUrl(relay), username: 'alice2' });
    expect(await after.svc.call('vault:status', {})).toMatchObject({ state: 'ready', keyring: 'keychain' });
  });

  it('sets a recovery passphrase next to the key file, which then opens the history without it', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const profileDir = path.join(dir, 'profile');
    const { svc } = await service(profileDir, { kind: 'key-file' });
    await svc.call('account:register', { serverUrl: httpUrl(relay), username: 'alice' });
    expect(await svc.call('vault:setPassphrase', { passphrase: 'recovery words here' })).toEqual({
      state: 'ready',
      keyring: null,
      passphrase: 'recovery',
      keyFile: true,
    });
    await svc.close();

    fs.renameSync(path.join(profileDir, 'history.key'), path.join(dir, 'lost.key'));
    const locked = await service(profileDir, { kind: 'key-file' });
    expect((await locked.svc.call('app:snapshot', {})).vault).toMatchObject({ state: 'locked', reason: 'key-file-missing', hasPassphrase: true });
    await locked.svc.call('vault:unlock', { passphrase: 'recovery words here' });
    expect((await locked.svc.call('app:snapshot', {})).profile).toMatchObject({ username: 'alice' });
  });

  it('a second link asked for while the first one is being set up is refused', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const profileDir = path.join(dir, 'profile');
    const { svc } = await service(profileDir, { kind: 'keyring', keyring: new MemoryKeyring('keychain') });
    const serverUrl = httpUrl(relay);
    const outcomes = await Promise.allSettled([svc.call('account:link', { serverUrl }), svc.call('account:link', { serverUrl })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!.reason as ServiceError;
    expect(refused).toMatchObject({ code: 'link_in_progress' });
    expect((await svc.call('app:snapshot', {})).pendingLink).not.toBeNull();
    // Once it is set up, asking again gives a new code.
    const again = await svc.call('account:link', { serverUrl });
    expect((await svc.call('app:snapshot', {})).pendingLink?.code).toBe(again.code);
  });

  it('a wrong passphrase given to the process is a failure to start, not a locked screen', async () => {
    const profileDir = tempDir();
    const made = await service(profileDir, { kind: 'passphrase', passphrase: 'the right passphrase' });
    await made.svc.call('vault:setPassphrase', { passphrase: 'the right passphrase' });
    await made.svc.close();
    const svc = new ClientService({ profileDir, defaultServerUrl: 'http://127.0.0.1:1', keys: { kind: 'passphrase', passphrase: 'the wrong passphrase' } });
    await expect(svc.start()).rejects.toThrow(`wrong passphrase for the history of ${profileDir}`);
  });
});
