// The history key of one profile folder, from whichever source this process has: the OS keyring
// (the desktop app), a passphrase, or a key file (the CLI, the web host, bots). Whatever the source,
// the same key opens the same database. Nobody is locked out in silence: when the key cannot be
// had, the vault says why (which keyring wrapped it, which one is here now, whether a passphrase
// can open it) and offers the ways back: the passphrase, the old keyring, or a reset that sets the
// old files aside.
import fs from 'node:fs';
import path from 'node:path';
import { loadSodium } from '../../../shared/crypto.js';
import type { VaultStatus } from '../../../shared/ipc.js';
import { HISTORY_FILE, PROFILE_FILE, readProfileInfo } from '../profile.js';
import {
  ENVELOPE_FILE,
  findWrap,
  newEnvelope,
  readEnvelope,
  unwrapWithKeyring,
  unwrapWithPassphrase,
  withWrap,
  wrapWithKeyring,
  wrapWithPassphrase,
  writeEnvelope,
  type Envelope,
  type Wrap,
} from './envelope.js';
import { HistoryKey } from './history-key.js';
import { createKeyFile, defaultKeyFile, readKeyFile } from './key-file.js';
import type { OsKeyring } from './keyring.js';

export type KeySource =
  | { kind: 'keyring'; keyring: OsKeyring }
  | { kind: 'passphrase'; passphrase: string }
  /** Default: history.key in the profile folder. */
  | { kind: 'key-file'; path?: string };

export type VaultErrorCode = 'locked' | 'wrong_passphrase' | 'wrong_key_file' | 'no_passphrase' | 'choose_passphrase' | 'not_locked';

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
  }
}

type LockReason = Extract<VaultStatus, { state: 'locked' }>['reason'];

type State =
  /** The key is open. */
  | { kind: 'open'; key: HistoryKey; envelope: Envelope }
  /** Nothing is encrypted yet (a new profile, or one from before encryption at rest): the key is made on first use. */
  | { kind: 'new' }
  | { kind: 'locked'; envelope: Envelope; reason: LockReason }
  /** Nothing is encrypted yet, and no OS keyring protects secrets here: the person chooses a passphrase first. */
  | { kind: 'choose-passphrase' };

/** Files of a profile that a reset sets aside (all of them: none is deleted). */
const PROFILE_FILES = [PROFILE_FILE, ENVELOPE_FILE, HISTORY_FILE, `${HISTORY_FILE}-wal`, `${HISTORY_FILE}-shm`, `${HISTORY_FILE}-journal`];

export class Vault {
  private state: State = { kind: 'new' };

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
    await vault.load();
    return vault;
  }

  private get keyring(): OsKeyring | undefined {
    return this.source.kind === 'keyring' ? this.source.keyring : undefined;
  }

  private get keyFile(): string {
    return this.source.kind === 'key-file' && this.source.path ? path.resolve(this.source.path) : defaultKeyFile(this.dir);
  }

  private async load(): Promise<void> {
    const envelope = readEnvelope(this.dir);
    if (!envelope) {
      this.state = this.keyring && !this.keyringAvailable ? { kind: 'choose-passphrase' } : { kind: 'new' };
      return;
    }
    const locked = (): State => ({ kind: 'locked', envelope, reason: this.lockReason(envelope) });
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
          return;
        }
        // A profile made by the CLI or the web host (or one whose keyring is gone) still opens with
        // its own key file, and is wrapped by this keyring from then on.
        const fromFile = keyFileIfSound(defaultKeyFile(this.dir));
        if (fromFile?.matches(envelope.check)) {
          this.state = { kind: 'open', key: fromFile, envelope };
          await this.wrapWithCurrentKeyring();
          return;
        }
        this.state = locked();
        return;
      }
    }
  }

  private lockReason(envelope: Envelope): LockReason {
    const has = (kind: Wrap['kind']) => findWrap(envelope, kind) !== undefined;
    if (this.keyring) {
      if (has('os')) return this.keyringAvailable ? 'keyring-changed' : 'keyring-unavailable';
      return has('passphrase') ? 'passphrase-required' : 'key-file-missing';
    }
    if (has('key-file')) return 'key-file-missing';
    return has('os') ? 'keyring-unavailable' : 'passphrase-required';
  }

  /** Best effort: the key is open either way, and a wrap that fails now is reported as locked next time. */
  private async wrapWithCurrentKeyring(): Promise<void> {
    const keyring = this.keyring;
    if (this.state.kind !== 'open' || !keyring || !this.keyringAvailable) return;
    try {
      const envelope = withWrap(this.state.envelope, await wrapWithKeyring(this.state.key, keyring));
      writeEnvelope(this.dir, envelope);
      this.state = { ...this.state, envelope };
    } catch {
      // The keyring refused to encrypt: keep the wraps that exist.
    }
  }

  status(): VaultStatus {
    const state = this.state;
    switch (state.kind) {
      case 'new':
        return { state: 'ready', keyring: null, passphrase: 'none', keyFile: false };
      case 'open': {
        const { wraps } = state.envelope;
        const passphrase = findWrap(state.envelope, 'passphrase');
        return {
          state: 'ready',
          keyring: findWrap(state.envelope, 'os')?.backend ?? null,
          passphrase: passphrase ? (wraps.length > 1 ? 'recovery' : 'primary') : 'none',
          keyFile: findWrap(state.envelope, 'key-file') !== undefined,
        };
      }
      case 'locked': {
        const info = this.profileInfo();
        return {
          state: 'locked',
          reason: state.reason,
          recordedBackend: findWrap(state.envelope, 'os')?.backend ?? null,
          currentBackend: this.keyring?.backend() ?? null,
          hasPassphrase: findWrap(state.envelope, 'passphrase') !== undefined,
          account: info ? { username: info.username, serverUrl: info.serverUrl } : null,
        };
      }
      case 'choose-passphrase':
        return { state: 'choose-passphrase', currentBackend: this.keyring?.backend() ?? null, existingProfile: this.profileInfo() !== undefined };
    }
  }

  /** Whose profile this is, for the status only: a damaged profile.json must not hide the ways back (a reset). */
  private profileInfo(): ReturnType<typeof readProfileInfo> {
    try {
      return readProfileInfo(this.dir);
    } catch {
      return undefined;
    }
  }

  /**
   * The key. For a folder with nothing encrypted yet it is made now, protected the source's way
   * (a key file, a passphrase, the OS keyring). Throws a VaultError while locked.
   */
  async ensureKey(): Promise<HistoryKey> {
    const state = this.state;
    switch (state.kind) {
      case 'open':
        return state.key;
      case 'locked':
        throw new VaultError('locked', this.lockedMessage(state));
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

  private create(key: HistoryKey, wrap: Wrap): HistoryKey {
    const envelope = newEnvelope(key, [wrap]);
    writeEnvelope(this.dir, envelope);
    this.state = { kind: 'open', key, envelope };
    return key;
  }

  /** Opens a locked history with its passphrase; with an OS keyring here, the key is wrapped by it again. */
  async unlock(passphrase: string): Promise<void> {
    const state = this.state;
    if (state.kind === 'open') return;
    if (state.kind !== 'locked') throw new VaultError('not_locked', 'the history is not locked');
    const wrap = findWrap(state.envelope, 'passphrase');
    if (!wrap) throw new VaultError('no_passphrase', `no passphrase was set for this history: ${describeWraps(state.envelope)}`);
    const key = unwrapWithPassphrase(wrap, passphrase);
    if (!key?.matches(state.envelope.check)) throw new VaultError('wrong_passphrase', 'wrong passphrase');
    this.state = { kind: 'open', key, envelope: state.envelope };
    await this.wrapWithCurrentKeyring();
  }

  /**
   * Sets or replaces the passphrase: a recovery passphrase next to the keyring or key file, or,
   * where no keyring exists, the passphrase that protects the key.
   */
  async setPassphrase(passphrase: string): Promise<void> {
    if (this.state.kind === 'choose-passphrase') {
      const key = HistoryKey.generate();
      this.create(key, wrapWithPassphrase(key, passphrase));
      return;
    }
    if (this.state.kind === 'locked') throw new VaultError('locked', 'unlock the history before changing its passphrase');
    const key = await this.ensureKey();
    if (this.state.kind !== 'open') throw new VaultError('locked', 'the history is locked');
    const envelope = withWrap(this.state.envelope, wrapWithPassphrase(key, passphrase));
    writeEnvelope(this.dir, envelope);
    this.state = { kind: 'open', key, envelope };
  }

  /**
   * The way back from a locked history with no passphrase: its files go to a folder beside them
   * (never deleted: with the old keyring back, they open again), and the profile starts fresh.
   */
  async reset(): Promise<string> {
    if (this.state.kind !== 'locked') throw new VaultError('not_locked', 'only a locked history can be reset');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const aside = path.join(this.dir, `set-aside-${stamp}`);
    fs.mkdirSync(aside, { mode: 0o700 });
    const files = [...PROFILE_FILES.map((name) => path.join(this.dir, name)), defaultKeyFile(this.dir)];
    for (const file of files) {
      if (fs.existsSync(file)) fs.renameSync(file, path.join(aside, path.basename(file)));
    }
    await this.load();
    return aside;
  }

  private lockedMessage(state: Extract<State, { kind: 'locked' }>): string {
    const status = this.status();
    const passphrase = status.state === 'locked' && status.hasPassphrase ? '; its passphrase opens it' : '; no passphrase was set for it';
    switch (state.reason) {
      case 'keyring-changed':
      case 'keyring-unavailable': {
        const recorded = findWrap(state.envelope, 'os')?.backend ?? 'unknown';
        const current = this.keyring ? `, which the keyring in use now (${this.keyring.backend()}) cannot open` : '';
        return `the history key of ${this.dir} is kept by the OS keyring (${recorded})${current}${passphrase}`;
      }
      case 'passphrase-required':
        return `the history of ${this.dir} is protected by a passphrase`;
      case 'key-file-missing':
        return `the key file of ${this.dir} is missing (${this.keyFile})${passphrase}`;
    }
  }
}

/** A key file as a fallback only: one that is damaged or open to others must not stop the app from starting. */
function keyFileIfSound(file: string): HistoryKey | undefined {
  try {
    return readKeyFile(file);
  } catch {
    return undefined;
  }
}

function describeWraps(envelope: Envelope): string {
  const ways = envelope.wraps.map((w) => (w.kind === 'os' ? `the OS keyring (${w.backend})` : w.kind === 'key-file' ? 'its key file' : 'a passphrase'));
  return `it opens with ${ways.join(' or ')}`;
}

/** The history key of the profile in `dir`, made now for a new one; a VaultError says plainly why not. */
export async function historyKey(dir: string, source: KeySource): Promise<HistoryKey> {
  return (await Vault.open(dir, source)).ensureKey();
}
