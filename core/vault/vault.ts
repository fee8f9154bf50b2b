// The history key of one profile folder, from whichever source this process has: the OS keyring
// (the desktop app), a passphrase, or a key file (the CLI, the web host, bots). Whatever the source,
// the same key opens the same database. When the key cannot be had, the vault says why
// (vault-state.ts) and offers the ways back: the passphrase, the old keyring, or a reset that sets
// the old files aside (reset.ts).
import fs from 'node:fs';
import path from 'node:path';
import { loadSodium } from '../../shared/crypto.js';
import type { VaultStatus } from '../../shared/ipc.js';
import { syncDir } from '../atomic-file.js';
import {
  ENVELOPE_FILE,
  createEnvelope,
  findWrap,
  newEnvelope,
  readEnvelope,
  unwrapWithKeyring,
  unwrapWithPassphrase,
  withWrap,
  wrapWithKeyring,
  wrapWithPassphrase,
  writeEnvelope,
  type Wrap,
} from './envelope.js';
import { HistoryKey } from './history-key.js';
import { createKeyFile, defaultKeyFile, readKeyFile } from './key-file.js';
import { VaultError, type KeySource } from './key-source.js';
import type { OsKeyring } from './keyring.js';
import { lockProfile } from './profile-lock.js';
import { hasEncryptedData, keyFileIfSound, recoverEnvelope } from './recovery.js';
import { finishPendingReset, setAside } from './reset.js';
import { describeWraps, lockReason, lockedMessage, vaultStatus, type State, type VaultContext } from './vault-state.js';

export { VaultError, type KeySource, type VaultErrorCode } from './key-source.js';

export class Vault {
  private state: State = { kind: 'new' };
  /** Every change of state runs here, one at a time: none sees another's half-done work across an await. */
  private tail: Promise<unknown> = Promise.resolve();
  private releaseLock: (() => void) | undefined;

  private constructor(
    readonly dir: string,
    private readonly source: KeySource,
    /** Whether an OS keyring (not Linux's basic_text) protects secrets here. */
    private readonly keyringAvailable: boolean,
  ) {}

  /**
   * Reads the folder's envelope and tries this process's key source. A profile the source cannot
   * open is 'locked' (see status()); a wrong passphrase or key file given by the caller throws.
   */
  static async open(dir: string, source: KeySource): Promise<Vault> {
    await loadSodium();
    const available = source.kind === 'keyring' ? await source.keyring.available() : false;
    const vault = new Vault(path.resolve(dir), source, available);
    // Held until close(): another Warbler process on this folder is refused, not silently shared with.
    vault.releaseLock = lockProfile(vault.dir);
    try {
      await vault.load();
    } catch (err) {
      vault.close();
      throw err;
    }
    return vault;
  }

  /** Lets another process open the profile (once this process's history is closed too). */
  close(): void {
    this.releaseLock?.();
    this.releaseLock = undefined;
  }

  private exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = this.tail.then(run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private get keyring(): OsKeyring | undefined {
    return this.source.kind === 'keyring' ? this.source.keyring : undefined;
  }

  private get keyFile(): string {
    return this.source.kind === 'key-file' && this.source.path ? path.resolve(this.source.path) : defaultKeyFile(this.dir);
  }

  private get context(): VaultContext {
    return { dir: this.dir, keyring: this.keyring, keyringAvailable: this.keyringAvailable, keyFile: this.keyFile };
  }

  private async load(): Promise<void> {
    finishPendingReset(this.dir);
    const envelope = readEnvelope(this.dir);
    if (!envelope) {
      this.state = hasEncryptedData(this.dir)
        ? await this.recoverEnvelope()
        : this.keyring && !this.keyringAvailable
          ? { kind: 'choose-passphrase' }
          : { kind: 'new' };
      return;
    }
    const locked = (): State => ({ kind: 'locked', envelope, reason: lockReason(this.context, envelope) });
    switch (this.source.kind) {
      case 'key-file': {
        const key = readKeyFile(this.keyFile);
        if (key && !key.matches(envelope.check)) throw new VaultError('wrong_key_file', `${this.keyFile} does not hold the history key of ${this.dir}`);
        this.state = key ? { kind: 'open', key, envelope } : locked();
        return;
      }
      case 'passphrase': {
        const wrap = findWrap(envelope, 'passphrase');
        if (!wrap) throw new VaultError('no_passphrase', `the history of ${this.dir} has no passphrase: ${describeWraps(envelope)}`);
        const key = unwrapWithPassphrase(wrap, this.source.passphrase);
        if (!key?.matches(envelope.check)) throw new VaultError('wrong_passphrase', `wrong passphrase for the history of ${this.dir}`);
        this.state = { kind: 'open', key, envelope };
        return;
      }
      case 'keyring': {
        const keyring = this.source.keyring;
        const os = findWrap(envelope, 'os');
        const opened = os && (await unwrapWithKeyring(os, keyring, envelope.check));
        if (os && opened) {
          this.state = { kind: 'open', key: opened.key, envelope };
          // The keyring rotated its key, or another backend opens the old wrap: wrap it the current way.
          if (opened.shouldReEncrypt || os.backend !== keyring.backend()) await this.wrapWithCurrentKeyring();
          // A take-over from a key file that stopped before it was done.
          if (findWrap(envelope, 'key-file')) await this.retireKeyFile();
          return;
        }
        // A profile made by the CLI or the web host (or one whose keyring is gone) still opens with
        // its own key file, and is wrapped by this keyring from then on; the key file then goes.
        const fromFile = keyFileIfSound(defaultKeyFile(this.dir));
        if (fromFile?.matches(envelope.check)) {
          this.state = { kind: 'open', key: fromFile, envelope };
          await this.wrapWithCurrentKeyring();
          await this.retireKeyFile();
          return;
        }
        this.state = locked();
        return;
      }
    }
  }

  /** The envelope is gone: history.key (whatever this process's own source) may still hold the key. */
  private async recoverEnvelope(): Promise<State> {
    const found = recoverEnvelope(this.dir, [...(this.source.kind === 'key-file' ? [this.keyFile] : []), defaultKeyFile(this.dir)]);
    if (!found) return { kind: 'locked', envelope: undefined, reason: 'key-missing' };
    this.state = { kind: 'open', ...found };
    await this.wrapWithCurrentKeyring();
    return this.state;
  }

  /** Best effort: the key is open either way, and a wrap that fails now is reported as locked next time. */
  private async wrapWithCurrentKeyring(): Promise<void> {
    const keyring = this.keyring;
    if (this.state.kind !== 'open' || !keyring || !this.keyringAvailable) return;
    const key = this.state.key;
    let wrap: Wrap;
    try {
      wrap = await wrapWithKeyring(key, keyring);
    } catch {
      // The keyring refused to encrypt: keep the wraps that exist.
      return;
    }
    // The envelope as it is now, after the await: never a copy read before it.
    const state = this.state;
    if (state.kind !== 'open' || state.key !== key) return;
    const envelope = withWrap(state.envelope, wrap);
    writeEnvelope(this.dir, envelope);
    this.state = { ...state, envelope };
  }

  /**
   * The key in clear on disk is no longer needed once the keyring holds it: removed, but only after
   * the keyring has opened its wrap again (otherwise the key file stays the way in). The file goes
   * before its wrap, so a stop in between is finished on the next open.
   */
  private async retireKeyFile(): Promise<void> {
    const keyring = this.keyring;
    const state = this.state;
    if (state.kind !== 'open' || !keyring) return;
    const os = findWrap(state.envelope, 'os');
    const opened = os && (await unwrapWithKeyring(os, keyring, state.envelope.check));
    if (!opened || this.state !== state) return;
    const file = defaultKeyFile(this.dir);
    if (fs.existsSync(file)) {
      fs.rmSync(file);
      syncDir(this.dir);
    }
    if (!findWrap(state.envelope, 'key-file')) return;
    const envelope = { ...state.envelope, wraps: state.envelope.wraps.filter((w) => w.kind !== 'key-file') };
    writeEnvelope(this.dir, envelope);
    this.state = { ...state, envelope };
  }

  status(): VaultStatus {
    return vaultStatus(this.context, this.state);
  }

  /**
   * The key. For a folder with nothing encrypted yet it is made now, protected the source's way
   * (a key file, a passphrase, the OS keyring). Throws a VaultError while locked.
   */
  async ensureKey(): Promise<HistoryKey> {
    const state = this.state;
    if (state.kind === 'open') return state.key;
    return this.exclusive(() => this.ensureKeyNow());
  }

  private async ensureKeyNow(): Promise<HistoryKey> {
    const state = this.state;
    switch (state.kind) {
      case 'open':
        return state.key;
      case 'locked':
        throw new VaultError('locked', lockedMessage(this.context, state));
      case 'choose-passphrase':
        throw new VaultError('choose_passphrase', 'no OS keyring protects secrets on this computer: choose a passphrase for the history first');
      case 'new': {
        let key: HistoryKey;
        let wrap: Wrap;
        switch (this.source.kind) {
          case 'key-file': {
            const existing = readKeyFile(this.keyFile);
            key = existing ?? HistoryKey.generate();
            if (!existing) createKeyFile(this.keyFile, key);
            wrap = { kind: 'key-file' };
            break;
          }
          case 'passphrase':
            key = HistoryKey.generate();
            wrap = wrapWithPassphrase(key, this.source.passphrase);
            break;
          case 'keyring':
            key = HistoryKey.generate();
            wrap = await wrapWithKeyring(key, this.source.keyring);
            break;
        }
        return this.create(key, wrap);
      }
    }
  }

  /**
   * The folder's first envelope. If one appeared meanwhile (another process, before this one held
   * the folder), it is kept and read again: the key it wraps is the profile's, this new one is not.
   */
  private async create(key: HistoryKey, wrap: Wrap): Promise<HistoryKey> {
    const envelope = newEnvelope(key, [wrap]);
    if (createEnvelope(this.dir, envelope)) {
      this.state = { kind: 'open', key, envelope };
      return key;
    }
    await this.load();
    if (this.state.kind === 'new' || this.state.kind === 'choose-passphrase') throw new Error(`${path.join(this.dir, ENVELOPE_FILE)} changed while it was made`);
    return this.ensureKeyNow();
  }

  /** Opens a locked history with its passphrase; with an OS keyring here, the key is wrapped by it again. */
  unlock(passphrase: string): Promise<void> {
    return this.exclusive(async () => {
      const state = this.state;
      if (state.kind === 'open') return;
      if (state.kind !== 'locked') throw new VaultError('not_locked', 'the history is not locked');
      const wrap = state.envelope && findWrap(state.envelope, 'passphrase');
      if (!state.envelope || !wrap) throw new VaultError('no_passphrase', `no passphrase was set for this history: ${describeWraps(state.envelope)}`);
      const key = unwrapWithPassphrase(wrap, passphrase);
      if (!key?.matches(state.envelope.check)) throw new VaultError('wrong_passphrase', 'wrong passphrase');
      this.state = { kind: 'open', key, envelope: state.envelope };
      await this.wrapWithCurrentKeyring();
    });
  }

  /**
   * Sets or replaces the passphrase: a recovery passphrase next to the keyring or key file, or,
   * where no keyring exists, the passphrase that protects the key.
   */
  setPassphrase(passphrase: string): Promise<void> {
    return this.exclusive(async () => {
      if (this.state.kind === 'choose-passphrase') {
        const key = HistoryKey.generate();
        await this.create(key, wrapWithPassphrase(key, passphrase));
        // create() reads the folder again when an envelope appeared meanwhile: the state is new.
        const after = this.state as State;
        if (after.kind === 'open' && after.key === key) return;
      }
      if (this.state.kind === 'locked') throw new VaultError('locked', 'unlock the history before changing its passphrase');
      const key = await this.ensureKeyNow();
      const state = this.state;
      if (state.kind !== 'open') throw new VaultError('locked', 'the history is locked');
      const envelope = withWrap(state.envelope, wrapWithPassphrase(key, passphrase));
      writeEnvelope(this.dir, envelope);
      this.state = { kind: 'open', key, envelope };
    });
  }

  /** Sets a locked history's files aside and starts the profile fresh; returns where they went. */
  reset(): Promise<string> {
    return this.exclusive(async () => {
      if (this.state.kind !== 'locked') throw new VaultError('not_locked', 'only a locked history can be reset');
      const aside = setAside(this.dir);
      await this.load();
      return aside;
    });
  }
}

/** The history key of the profile in `dir`, made now for a new one; a VaultError says plainly why not. */
export async function historyKey(dir: string, source: KeySource): Promise<HistoryKey> {
  const vault = await Vault.open(dir, source);
  try {
    return await vault.ensureKey();
  } finally {
    vault.close();
  }
}
