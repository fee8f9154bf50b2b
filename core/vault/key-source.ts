// Where this process gets a profile's history key, and the errors that say why it cannot.
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
