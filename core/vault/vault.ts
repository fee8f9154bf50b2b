// The history key of one profile folder, from whichever source this process has: the OS keyring
// (the desktop app), a passphrase, or a key file (the CLI, the web host, bots). Whatever the source,
// the same key opens the same database. Nobody is locked out in silence: when the key cannot be
// had, the vault says why (which keyring wrapped it, which one is here now, whether a passphrase
// can open it) and offers the ways back: the passphrase, the old keyring, or a reset that sets the
// old files aside.
import fs from 'node:fs';
import path from 'node:path';
import { loadSodium } from '../../shared/crypto.js';
import type { VaultStatus } from '../../shared/ipc.js';
import { z } from 'zod';
import { syncDir, writeFileAtomic } from '../atomic-file.js';
import { HISTORY_FILE, PROFILE_FILE, readProfile, readProfileInfo } from '../profile.js';
import { isPlaintextDatabase, openEncrypted } from './cipher.js';
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
  type Envelope,
  type Wrap,
} from './envelope.js';
import { HistoryKey } from './history-key.js';
import { KEY_FILE, createKeyFile, defaultKeyFile, readKeyFile } from './key-file.js';
import type { OsKeyring } from './keyring.js';
import { lockProfile } from './profile-lock.js';

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
  /** No envelope means it was lost while encrypted files remain ('key-missing'): never a fresh key over them. */
  | { kind: 'locked'; envelope: Envelope | undefined; reason: LockReason }
  /** Nothing is encrypted yet, and no OS keyring protects secrets here: the person chooses a passphrase first. */
  | { kind: 'choose-passphrase' };

/**
 * Files of a profile that a reset sets aside (all of them: none is deleted), in this order: the
 * database's side files before the database (never a database without its WAL while the WAL is
 * left behind to be mixed with a new one), and the envelope last, so that until the end the folder
 * still reads as the locked profile it was.
 */
const RESET_ORDER = [
  `${HISTORY_FILE}-wal`,
  `${HISTORY_FILE}-shm`,
  `${HISTORY_FILE}-journal`,
  `${HISTORY_FILE}.encrypting`,
  `${HISTORY_FILE}.encrypting-journal`,
  HISTORY_FILE,
  KEY_FILE,
  PROFILE_FILE,
  ENVELOPE_FILE,
];

/** Names the set-aside folder while a reset runs; a reset that stopped halfway is finished on the next open. */
const RESET_MARKER = 'reset-pending';
const ResetMarker = z.string().regex(/^set-aside-[0-9TZ-]+\n?$/);

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

  private async load(): Promise<void> {
    this.finishPendingReset();
    const envelope = readEnvelope(this.dir);
    if (!envelope) {
      this.state = this.hasEncryptedData()
        ? await this.recoverEnvelope()
        : this.keyring && !this.keyringAvailable
          ? { kind: 'choose-passphrase' }
          : { kind: 'new' };
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

  /** Sealed secrets or an encrypted database: some key made them, and a new one would not open them. */
  private hasEncryptedData(): boolean {
    const history = path.join(this.dir, HISTORY_FILE);
    const encryptedHistory = fs.existsSync(history) && fs.statSync(history).size > 0 && !isPlaintextDatabase(history);
    if (encryptedHistory) return true;
    try {
      const info = readProfileInfo(this.dir);
      return info !== undefined && !info.plaintextSecrets;
    } catch {
      // A damaged profile.json: whatever it held, it is not for a fresh key to overwrite.
      return fs.existsSync(path.join(this.dir, PROFILE_FILE));
    }
  }

  /**
   * The envelope is gone but what it opened is not: the key file (history.key, whatever this
   * process's own source) may still hold the key. It counts only if it opens what is there; then
   * the envelope is made again. Otherwise the history is locked, and a reset is the way on.
   */
  private async recoverEnvelope(): Promise<State> {
    const candidates = [this.source.kind === 'key-file' ? this.keyFile : undefined, defaultKeyFile(this.dir)];
    for (const file of new Set(candidates.filter((f): f is string => f !== undefined))) {
      const key = keyFileIfSound(file);
      if (!key || !this.opensExistingData(key)) continue;
      let envelope = newEnvelope(key, [{ kind: 'key-file' }]);
      if (!createEnvelope(this.dir, envelope)) envelope = readEnvelope(this.dir) ?? envelope;
      if (!key.matches(envelope.check)) break;
      this.state = { kind: 'open', key, envelope };
      await this.wrapWithCurrentKeyring();
      return this.state;
    }
    return { kind: 'locked', envelope: undefined, reason: 'key-missing' };
  }

  private opensExistingData(key: HistoryKey): boolean {
    try {
      const info = readProfileInfo(this.dir);
      if (info && !info.plaintextSecrets) readProfile(this.dir, key);
      const history = path.join(this.dir, HISTORY_FILE);
      if (fs.existsSync(history) && !isPlaintextDatabase(history)) openEncrypted(history, key).close();
      return true;
    } catch {
      return false;
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
          recordedBackend: (state.envelope && findWrap(state.envelope, 'os')?.backend) ?? null,
          currentBackend: this.keyring?.backend() ?? null,
          hasPassphrase: state.envelope !== undefined && findWrap(state.envelope, 'passphrase') !== undefined,
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
    if (state.kind === 'open') return state.key;
    return this.exclusive(() => this.ensureKeyNow());
  }

  private async ensureKeyNow(): Promise<HistoryKey> {
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

  /**
   * The way back from a locked history with no passphrase: its files go to a folder beside them
   * (never deleted: with the old keyring back, they open again), and the profile starts fresh.
   */
  reset(): Promise<string> {
    return this.exclusive(async () => {
      if (this.state.kind !== 'locked') throw new VaultError('not_locked', 'only a locked history can be reset');
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const name = `set-aside-${stamp}`;
      fs.mkdirSync(path.join(this.dir, name), { mode: 0o700 });
      writeFileAtomic(path.join(this.dir, RESET_MARKER), `${name}\n`);
      this.finishPendingReset();
      await this.load();
      return path.join(this.dir, name);
    });
  }

  /** Moves what is left of the profile to the folder the marker names, then drops the marker. */
  private finishPendingReset(): void {
    const marker = path.join(this.dir, RESET_MARKER);
    let text: string;
    try {
      text = fs.readFileSync(marker, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const parsed = ResetMarker.safeParse(text);
    if (!parsed.success) throw new Error(`${marker} does not name a set-aside folder: move the profile's files aside by hand and delete it`);
    const aside = path.join(this.dir, parsed.data.trim());
    fs.mkdirSync(aside, { recursive: true, mode: 0o700 });
    // Files half written by a process that stopped (profile.json.<pid>.tmp, …) go with the rest.
    const leftovers = fs.readdirSync(this.dir).filter((name) => name.endsWith('.tmp') && !name.startsWith('profile.lock'));
    for (const name of [...leftovers, ...RESET_ORDER]) {
      const file = path.join(this.dir, name);
      if (fs.existsSync(file)) fs.renameSync(file, path.join(aside, name));
    }
    syncDir(aside);
    syncDir(this.dir);
    fs.rmSync(marker);
    syncDir(this.dir);
  }

  private lockedMessage(state: Extract<State, { kind: 'locked' }>): string {
    const status = this.status();
    const passphrase = status.state === 'locked' && status.hasPassphrase ? '; its passphrase opens it' : '; no passphrase was set for it';
    switch (state.reason) {
      case 'keyring-changed':
      case 'keyring-unavailable': {
        const recorded = (state.envelope && findWrap(state.envelope, 'os')?.backend) ?? 'unknown';
        const current = this.keyring ? `, which the keyring in use now (${this.keyring.backend()}) cannot open` : '';
        return `the history key of ${this.dir} is kept by the OS keyring (${recorded})${current}${passphrase}`;
      }
      case 'passphrase-required':
        return `the history of ${this.dir} is protected by a passphrase`;
      case 'key-file-missing':
        return `the key file of ${this.dir} is missing (${this.keyFile})${passphrase}`;
      case 'key-missing':
        return `the key envelope of ${this.dir} (${ENVELOPE_FILE}) is missing and no key file opens its encrypted files; restore ${ENVELOPE_FILE}, or reset the profile`;
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

function describeWraps(envelope: Envelope | undefined): string {
  if (!envelope) return `its key envelope (${ENVELOPE_FILE}) is missing`;
  const ways = envelope.wraps.map((w) => (w.kind === 'os' ? `the OS keyring (${w.backend})` : w.kind === 'key-file' ? 'its key file' : 'a passphrase'));
  return `it opens with ${ways.join(' or ')}`;
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
