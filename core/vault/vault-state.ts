// The states a profile's history key can be in, and how each is told: the status the app shows and
// the message a locked history's VaultError carries. Nobody is locked out in silence: they say which
// keyring wrapped the key, which one is here now, and whether a passphrase opens it.
import type { VaultStatus } from '../../shared/ipc.js';
import { readProfileInfo } from '../profile.js';
import { ENVELOPE_FILE, findWrap, type Envelope, type Wrap } from './envelope.js';
import type { HistoryKey } from './history-key.js';
import type { OsKeyring } from './keyring.js';

export type LockReason = Extract<VaultStatus, { state: 'locked' }>['reason'];

export type State =
  /** The key is open. */
  | { kind: 'open'; key: HistoryKey; envelope: Envelope }
  /** Nothing is encrypted yet (a new profile, or one from before encryption at rest): the key is made on first use. */
  | { kind: 'new' }
  /** No envelope means it was lost while encrypted files remain ('key-missing'): never a fresh key over them. */
  | { kind: 'locked'; envelope: Envelope | undefined; reason: LockReason }
  /** Nothing is encrypted yet, and no OS keyring protects secrets here: the person chooses a passphrase first. */
  | { kind: 'choose-passphrase' };

export type LockedState = Extract<State, { kind: 'locked' }>;

/** The profile folder and this process's key source, as the status and the messages name them. */
export interface VaultContext {
  dir: string;
  keyring: OsKeyring | undefined;
  /** Whether an OS keyring (not Linux's basic_text) protects secrets here. */
  keyringAvailable: boolean;
  keyFile: string;
}

export function lockReason(context: VaultContext, envelope: Envelope): LockReason {
  const has = (kind: Wrap['kind']) => findWrap(envelope, kind) !== undefined;
  if (context.keyring) {
    if (has('os')) return context.keyringAvailable ? 'keyring-changed' : 'keyring-unavailable';
    return has('passphrase') ? 'passphrase-required' : 'key-file-missing';
  }
  if (has('key-file')) return 'key-file-missing';
  return has('os') ? 'keyring-unavailable' : 'passphrase-required';
}

/** Whose profile this is, for the status only: a damaged profile.json must not hide the ways back (a reset). */
function profileInfo(dir: string): ReturnType<typeof readProfileInfo> {
  try {
    return readProfileInfo(dir);
  } catch {
    return undefined;
  }
}

export function vaultStatus(context: VaultContext, state: State): VaultStatus {
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
      const info = profileInfo(context.dir);
      return {
        state: 'locked',
        reason: state.reason,
        recordedBackend: (state.envelope && findWrap(state.envelope, 'os')?.backend) ?? null,
        currentBackend: context.keyring?.backend() ?? null,
        hasPassphrase: state.envelope !== undefined && findWrap(state.envelope, 'passphrase') !== undefined,
        account: info ? { username: info.username, serverUrl: info.serverUrl } : null,
      };
    }
    case 'choose-passphrase':
      return { state: 'choose-passphrase', currentBackend: context.keyring?.backend() ?? null, existingProfile: profileInfo(context.dir) !== undefined };
  }
}

export function lockedMessage(context: VaultContext, state: LockedState): string {
  const status = vaultStatus(context, state);
  const passphrase = status.state === 'locked' && status.hasPassphrase ? '; its passphrase opens it' : '; no passphrase was set for it';
  switch (state.reason) {
    case 'keyring-changed':
    case 'keyring-unavailable': {
      const recorded = (state.envelope && findWrap(state.envelope, 'os')?.backend) ?? 'unknown';
      const current = context.keyring ? `, which the keyring in use now (${context.keyring.backend()}) cannot open` : '';
      return `the history key of ${context.dir} is kept by the OS keyring (${recorded})${current}${passphrase}`;
    }
    case 'passphrase-required':
      return `the history of ${context.dir} is protected by a passphrase`;
    case 'key-file-missing':
      return `the key file of ${context.dir} is missing (${context.keyFile})${passphrase}`;
    case 'key-missing':
      return `the key envelope of ${context.dir} (${ENVELOPE_FILE}) is missing and no key file opens its encrypted files; restore ${ENVELOPE_FILE}, or reset the profile`;
  }
}

export function describeWraps(envelope: Envelope | undefined): string {
  if (!envelope) return `its key envelope (${ENVELOPE_FILE}) is missing`;
  const ways = envelope.wraps.map((w) => (w.kind === 'os' ? `the OS keyring (${w.backend})` : w.kind === 'key-file' ? 'its key file' : 'a passphrase'));
  return `it opens with ${ways.join(' or ')}`;
}
