// Key wrapping with an OS keyring behind the OsKeyring interface (in memory here, safeStorage in
// Electron), a passphrase, and a key file: first run, a keyring that changes, the recovery
// passphrase, re-wrapping, and the reset that sets files aside.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../shared/crypto.js';
import { tempDir } from '../../tests/helpers.js';
import { MemoryKeyring } from '../../tests/memory-keyring.js';
import { writeProfile } from '../profile.js';
import { ENVELOPE_FILE, readEnvelope } from './envelope.js';
import { KEY_FILE } from './key-file.js';
import { LOCK_FILE, ProfileInUseError } from './profile-lock.js';
import { Vault, VaultError, historyKey, type KeySource } from './vault.js';

const keyring = (k: MemoryKeyring): KeySource => ({ kind: 'keyring', keyring: k });
const PASSPHRASE = 'correct horse battery staple';

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<VaultError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(VaultError);
  expect((err as VaultError).code).toBe(code);
  return err as VaultError;
}

describe('the history key with an OS keyring', () => {
  it('is made on first use, wrapped by the keyring, and opens again on the next start', async () => {
    const dir = tempDir();
    const libsecret = new MemoryKeyring('gnome_libsecret');
    const first = await Vault.open(dir, keyring(libsecret));
    expect(first.status()).toEqual({ state: 'ready', keyring: null, passphrase: 'none', keyFile: false });
    const key = await first.ensureKey();
    expect(first.status()).toEqual({ state: 'ready', keyring: 'gnome_libsecret', passphrase: 'none', keyFile: false });
    expect(fs.statSync(path.join(dir, ENVELOPE_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(dir, ENVELOPE_FILE), 'utf8')).not.toContain(key.toBase64());

    const again = await Vault.open(dir, keyring(libsecret));
    expect((await again.ensureKey()).toHex()).toBe(key.toHex());
  });

  it('a keyring that cannot open the wrap locks the history and says which keyrings; the recovery passphrase opens it and re-wraps', async () => {
    const dir = tempDir();
    const before = new MemoryKeyring('gnome_libsecret');
    const first = await Vault.open(dir, keyring(before));
    const key = await first.ensureKey();
    await first.setPassphrase(PASSPHRASE);
    expect(first.status()).toMatchObject({ state: 'ready', passphrase: 'recovery' });

    const after = new MemoryKeyring('kwallet6');
    const locked = await Vault.open(dir, keyring(after));
    expect(locked.status()).toEqual({
      state: 'locked',
      reason: 'keyring-changed',
      recordedBackend: 'gnome_libsecret',
      currentBackend: 'kwallet6',
      hasPassphrase: true,
      account: null,
    });
    const refused = await rejectsWith(locked.ensureKey(), 'locked');
    expect(refused.message).toMatch(/kept by the OS keyring \(gnome_libsecret\), which the keyring in use now \(kwallet6\) cannot open; its passphrase opens it/);
    await rejectsWith(locked.unlock('not the passphrase'), 'wrong_passphrase');
    expect(locked.status().state).toBe('locked');

    await locked.unlock(PASSPHRASE);
    expect((await locked.ensureKey()).toHex()).toBe(key.toHex());
    expect(locked.status()).toEqual({ state: 'ready', keyring: 'kwallet6', passphrase: 'recovery', keyFile: false });
    // Wrapped by the new keyring: the next start needs no passphrase.
    const next = await Vault.open(dir, keyring(after));
    expect((await next.ensureKey()).toHex()).toBe(key.toHex());
  });

  it('with no passphrase, a reset sets every file aside (never deleting) and starts a fresh profile', async () => {
    const dir = tempDir();
    const key = await historyKey(dir, keyring(new MemoryKeyring('keychain')));
    writeProfile(dir, { serverUrl: 'http://127.0.0.1:1', username: 'alice', identity: generateIdentity(), account: generateIdentity() }, key);
    fs.writeFileSync(path.join(dir, 'history.sqlite'), 'the old history');
    const envelope = fs.readFileSync(path.join(dir, ENVELOPE_FILE), 'utf8');

    const reset = new MemoryKeyring('keychain');
    const locked = await Vault.open(dir, keyring(reset));
    expect(locked.status()).toMatchObject({
      state: 'locked',
      reason: 'keyring-changed',
      hasPassphrase: false,
      account: { username: 'alice', serverUrl: 'http://127.0.0.1:1' },
    });
    await rejectsWith(locked.unlock(PASSPHRASE), 'no_passphrase');
    await rejectsWith(locked.setPassphrase(PASSPHRASE), 'locked');

    const aside = await locked.reset();
    expect(path.dirname(aside)).toBe(dir);
    expect(fs.readFileSync(path.join(aside, 'history.sqlite'), 'utf8')).toBe('the old history');
    expect(fs.readFileSync(path.join(aside, ENVELOPE_FILE), 'utf8')).toBe(envelope);
    expect(fs.existsSync(path.join(aside, 'profile.json'))).toBe(true);
    for (const name of ['profile.json', 'history.sqlite', ENVELOPE_FILE]) expect(fs.existsSync(path.join(dir, name))).toBe(false);

    expect(locked.status()).toEqual({ state: 'ready', keyring: null, passphrase: 'none', keyFile: false });
    await locked.ensureKey();
    expect(readEnvelope(dir)?.wraps).toEqual([expect.objectContaining({ kind: 'os', backend: 'keychain' })]);
    await rejectsWith(locked.reset(), 'not_locked');
  });

  it('wraps again when the keyring rotated its key (shouldReEncrypt) or its backend name changed', async () => {
    const dir = tempDir();
    const wallet = new MemoryKeyring('kwallet5');
    const key = await historyKey(dir, keyring(wallet));
    const wrappedFirst = readEnvelope(dir)!.wraps[0];

    wallet.rotate();
    expect((await historyKey(dir, keyring(wallet))).toHex()).toBe(key.toHex());
    const wrappedAgain = readEnvelope(dir)!.wraps[0];
    expect(wrappedAgain).not.toEqual(wrappedFirst);
    const decryptsBefore = wallet.decrypts;
    // Under the current key now: opening asks the keyring once and writes nothing.
    await historyKey(dir, keyring(wallet));
    expect(wallet.decrypts).toBe(decryptsBefore + 1);
    expect(readEnvelope(dir)!.wraps[0]).toEqual(wrappedAgain);

    const migrated = wallet.renamed('kwallet6');
    expect((await historyKey(dir, keyring(migrated))).toHex()).toBe(key.toHex());
    expect(readEnvelope(dir)!.wraps).toEqual([expect.objectContaining({ kind: 'os', backend: 'kwallet6' })]);
  });

  it('where no keyring protects secrets, the person chooses a passphrase; it opens every start, and a keyring found later takes over', async () => {
    const dir = tempDir();
    const basic = new MemoryKeyring('basic_text', false);
    const first = await Vault.open(dir, keyring(basic));
    expect(first.status()).toEqual({ state: 'choose-passphrase', currentBackend: 'basic_text', existingProfile: false });
    await rejectsWith(first.ensureKey(), 'choose_passphrase');
    await first.setPassphrase(PASSPHRASE);
    const key = await first.ensureKey();
    expect(first.status()).toEqual({ state: 'ready', keyring: null, passphrase: 'primary', keyFile: false });

    const second = await Vault.open(dir, keyring(basic));
    expect(second.status()).toMatchObject({ state: 'locked', reason: 'passphrase-required', hasPassphrase: true, recordedBackend: null });
    await second.unlock(PASSPHRASE);
    expect((await second.ensureKey()).toHex()).toBe(key.toHex());
    // basic_text is no protection: nothing is wrapped with it.
    expect(readEnvelope(dir)!.wraps.map((w) => w.kind)).toEqual(['passphrase']);

    const libsecret = new MemoryKeyring('gnome_libsecret');
    const third = await Vault.open(dir, keyring(libsecret));
    expect(third.status()).toMatchObject({ state: 'locked', reason: 'passphrase-required' });
    await third.unlock(PASSPHRASE);
    expect(third.status()).toEqual({ state: 'ready', keyring: 'gnome_libsecret', passphrase: 'recovery', keyFile: false });
    expect((await historyKey(dir, keyring(libsecret))).toHex()).toBe(key.toHex());
  });

  it('a keyring that is gone (basic_text now) reports it with both backends', async () => {
    const dir = tempDir();
    await historyKey(dir, keyring(new MemoryKeyring('gnome_libsecret')));
    const locked = await Vault.open(dir, keyring(new MemoryKeyring('basic_text', false)));
    expect(locked.status()).toMatchObject({ state: 'locked', reason: 'keyring-unavailable', recordedBackend: 'gnome_libsecret', currentBackend: 'basic_text' });
  });
});

describe('the history key from a key file or a passphrase', () => {
  it('a new profile gets history.key (0600); the same file opens it, another one is refused', async () => {
    const dir = tempDir();
    const key = await historyKey(dir, { kind: 'key-file' });
    const file = path.join(dir, KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${key.toHex()}\n`);
    expect((await historyKey(dir, { kind: 'key-file' })).toHex()).toBe(key.toHex());

    const other = path.join(tempDir(), 'other.key');
    await historyKey(tempDir(), { kind: 'key-file', path: other });
    const wrong = await rejectsWith(historyKey(dir, { kind: 'key-file', path: other }), 'wrong_key_file');
    expect(wrong.message).toContain(other);

    fs.chmodSync(file, 0o644);
    await expect(historyKey(dir, { kind: 'key-file' })).rejects.toThrow(/can be read by other users: make it private \(chmod 600/);
  });

  it('a passphrase profile opens with its passphrase only, and says so to a key file', async () => {
    const dir = tempDir();
    const key = await historyKey(dir, { kind: 'passphrase', passphrase: PASSPHRASE });
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
    expect((await historyKey(dir, { kind: 'passphrase', passphrase: PASSPHRASE })).toHex()).toBe(key.toHex());
    const wrong = await rejectsWith(historyKey(dir, { kind: 'passphrase', passphrase: 'wrong passphrase' }), 'wrong_passphrase');
    expect(wrong.message).toBe(`wrong passphrase for the history of ${dir}`);

    const withoutFile = await Vault.open(dir, { kind: 'key-file' });
    expect(withoutFile.status()).toMatchObject({ state: 'locked', reason: 'passphrase-required', hasPassphrase: true, currentBackend: null });
    await withoutFile.unlock(PASSPHRASE);
    expect((await withoutFile.ensureKey()).toHex()).toBe(key.toHex());
  });

  it('a profile the CLI made opens in the app with its key file, is wrapped by the keyring from then on, and the key file goes', async () => {
    const dir = tempDir();
    const key = await historyKey(dir, { kind: 'key-file' });
    const dpapi = new MemoryKeyring('dpapi');
    const app = await Vault.open(dir, keyring(dpapi));
    expect(app.status()).toEqual({ state: 'ready', keyring: 'dpapi', passphrase: 'none', keyFile: false });
    expect((await app.ensureKey()).toHex()).toBe(key.toHex());
    expect(fs.existsSync(path.join(dir, KEY_FILE))).toBe(false);
    app.close();
    expect((await historyKey(dir, keyring(dpapi))).toHex()).toBe(key.toHex());

    const viaPassphrase = await rejectsWith(historyKey(dir, { kind: 'passphrase', passphrase: PASSPHRASE }), 'no_passphrase');
    expect(viaPassphrase.message).toMatch(/opens with the OS keyring \(dpapi\)$/);
  });

  it('keeps the key file when the keyring cannot wrap the key', async () => {
    const dir = tempDir();
    const key = await historyKey(dir, { kind: 'key-file' });
    const refusing = new MemoryKeyring('dpapi');
    refusing.encrypt = () => Promise.reject(new Error('the keyring is locked'));
    const app = await Vault.open(dir, keyring(refusing));
    expect((await app.ensureKey()).toHex()).toBe(key.toHex());
    expect(app.status()).toEqual({ state: 'ready', keyring: null, passphrase: 'none', keyFile: true });
    expect(fs.readFileSync(path.join(dir, KEY_FILE), 'utf8')).toBe(`${key.toHex()}\n`);
    app.close();
  });

  it('an app profile seen by the CLI or web host is locked by a keyring they do not have', async () => {
    const dir = tempDir();
    await historyKey(dir, keyring(new MemoryKeyring('keychain')));
    const cli = await Vault.open(dir, { kind: 'key-file' });
    expect(cli.status()).toMatchObject({ state: 'locked', reason: 'keyring-unavailable', recordedBackend: 'keychain', currentBackend: null, hasPassphrase: false });
    expect((await rejectsWith(cli.ensureKey(), 'locked')).message).toMatch(/kept by the OS keyring \(keychain\); no passphrase was set for it/);
  });

  it('a damaged envelope is a clear error, not a fresh key', async () => {
    const dir = tempDir();
    await historyKey(dir, { kind: 'key-file' });
    fs.writeFileSync(path.join(dir, ENVELOPE_FILE), '{"version":1,"check":"x","wraps":[]}');
    await expect(Vault.open(dir, { kind: 'key-file' })).rejects.toThrow(/history-key\.json is not a Warbler key envelope: check/);
  });
});

/** A keyring that takes its time, as safeStorage's asynchronous calls may. */
class SlowKeyring extends MemoryKeyring {
  override async encrypt(plain: string): Promise<Buffer> {
    await new Promise((resolve) => setTimeout(resolve, 30));
    return super.encrypt(plain);
  }
}

describe('changes to the vault, one at a time', () => {
  it('two first uses at once make one key, and the envelope opens it', async () => {
    const dir = tempDir();
    const slow = new SlowKeyring('gnome_libsecret');
    const vault = await Vault.open(dir, keyring(slow));
    const other = await Vault.open(dir, keyring(slow));
    const keys = await Promise.all([vault.ensureKey(), vault.ensureKey(), other.ensureKey()]);
    expect(new Set(keys.map((k) => k.toHex())).size).toBe(1);
    expect((await historyKey(dir, keyring(slow))).toHex()).toBe(keys[0]!.toHex());
  });

  it('a passphrase set while unlocking re-wraps the key is kept', async () => {
    const dir = tempDir();
    await Vault.open(dir, keyring(new MemoryKeyring('gnome_libsecret'))).then(async (v) => {
      await v.ensureKey();
      await v.setPassphrase(PASSPHRASE);
    });
    const now = new SlowKeyring('kwallet6');
    const locked = await Vault.open(dir, keyring(now));
    const unlocking = locked.unlock(PASSPHRASE);
    const changing = locked.setPassphrase('the new passphrase');
    await Promise.all([unlocking, changing]);
    const key = await historyKey(dir, { kind: 'passphrase', passphrase: 'the new passphrase' });
    expect((await historyKey(dir, keyring(now))).toHex()).toBe(key.toHex());
  });
});

describe('one Warbler process per profile', () => {
  it('a profile open in another live process is refused with its pid; a lock whose process is gone is taken over', async () => {
    const dir = tempDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
    try {
      fs.writeFileSync(path.join(dir, LOCK_FILE), `${other.pid}\n`);
      const refused = await Vault.open(dir, { kind: 'key-file' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(ProfileInUseError);
      expect((refused as Error).message).toBe(`this profile is open in another Warbler process (pid ${other.pid}): ${dir}`);
      expect(fs.existsSync(path.join(dir, ENVELOPE_FILE))).toBe(false);
    } finally {
      other.kill();
    }
    await new Promise((resolve) => other.once('exit', resolve));

    const vault = await Vault.open(dir, { kind: 'key-file' });
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    await vault.ensureKey();
    vault.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});

describe('a reset that stopped halfway', () => {
  it('is finished on the next open: the database goes with its WAL, leftovers too, into the folder the marker names', async () => {
    const dir = tempDir();
    await historyKey(dir, keyring(new MemoryKeyring('keychain')));
    const files = {
      'history.sqlite': 'the old history',
      'history.sqlite-wal': 'its WAL',
      'history.sqlite-shm': 'its index',
      'history.sqlite.encrypting': 'a copy being encrypted',
      'profile.json.4242.tmp': 'half a profile',
    };
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    // Stopped after the marker and the first move.
    const aside = path.join(dir, 'set-aside-2026-01-01T00-00-00-000Z');
    fs.mkdirSync(aside);
    fs.writeFileSync(path.join(dir, 'reset-pending'), 'set-aside-2026-01-01T00-00-00-000Z\n');
    fs.renameSync(path.join(dir, 'history.sqlite-wal'), path.join(aside, 'history.sqlite-wal'));

    const vault = await Vault.open(dir, keyring(new MemoryKeyring('keychain')));
    expect(vault.status()).toEqual({ state: 'ready', keyring: null, passphrase: 'none', keyFile: false });
    for (const [name, text] of Object.entries(files)) {
      expect(fs.readFileSync(path.join(aside, name), 'utf8')).toBe(text);
      expect(fs.existsSync(path.join(dir, name))).toBe(false);
    }
    expect(fs.existsSync(path.join(aside, ENVELOPE_FILE))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'reset-pending'))).toBe(false);
    vault.close();
  });

  it('a full reset takes the side files, the half-encrypted copy and the leftovers too', async () => {
    const dir = tempDir();
    await historyKey(dir, keyring(new MemoryKeyring('keychain')));
    for (const name of ['history.sqlite', 'history.sqlite-wal', 'history.sqlite.encrypting', 'history-key.json.99.tmp']) fs.writeFileSync(path.join(dir, name), name);
    const locked = await Vault.open(dir, keyring(new MemoryKeyring('keychain')));
    const aside = await locked.reset();
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(aside), LOCK_FILE].sort());
    expect(fs.readdirSync(aside).sort()).toEqual([ENVELOPE_FILE, 'history-key.json.99.tmp', 'history.sqlite', 'history.sqlite-wal', 'history.sqlite.encrypting'].sort());
    locked.close();
  });
});

describe('a missing key envelope', () => {
  const profile = () => ({ serverUrl: 'http://127.0.0.1:1', username: 'alice', identity: generateIdentity(), account: generateIdentity() });

  it('is made again from history.key when that key opens the sealed profile, whatever the source', async () => {
    const dir = tempDir();
    const key = await historyKey(dir, { kind: 'key-file' });
    writeProfile(dir, profile(), key);
    fs.rmSync(path.join(dir, ENVELOPE_FILE));
    const app = await Vault.open(dir, keyring(new MemoryKeyring('dpapi')));
    expect((await app.ensureKey()).toHex()).toBe(key.toHex());
    expect(readEnvelope(dir)!.wraps.map((w) => w.kind).sort()).toEqual(['key-file', 'os']);
    app.close();
  });

  it('with no key that opens what is there, locks the history instead of making a new key', async () => {
    const dir = tempDir();
    const key = await historyKey(dir, keyring(new MemoryKeyring('keychain')));
    writeProfile(dir, profile(), key);
    fs.rmSync(path.join(dir, ENVELOPE_FILE));
    fs.writeFileSync(path.join(dir, KEY_FILE), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    for (const source of [keyring(new MemoryKeyring('keychain')), { kind: 'passphrase', passphrase: PASSPHRASE } as const, { kind: 'key-file' } as const]) {
      const vault = await Vault.open(dir, source);
      expect(vault.status()).toMatchObject({ state: 'locked', reason: 'key-missing', hasPassphrase: false, account: { username: 'alice' } });
      expect((await rejectsWith(vault.ensureKey(), 'locked')).message).toMatch(/history-key\.json\) is missing/);
      expect(fs.existsSync(path.join(dir, ENVELOPE_FILE))).toBe(false);
      vault.close();
    }
  });
});
