// Where this process gets a profile's history key, and the errors that say why it cannot.
import type { ErrorCodeAt } from '../../shared/errors.js';
import type { OsKeyring } from './keyring.js';

export type KeySource =
  | { kind: 'keyring'; keyring: OsKeyring }
  | { kind: 'passphrase'; passphrase: string }
  /** Default: history.key in the profile folder. */
  | { kind: 'key-file'; path?: string };

/** The vault's codes in the error table (shared/errors.ts). */
export type VaultErrorCode = ErrorCodeAt<'vault'>;

export class VaultError extends Error {
  constructor(
    readonly code: VaultErrorCode,
    message: string,
  ) {
    super(message);
  }
}
