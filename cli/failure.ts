// The one line the CLI prints when it fails: English, as scripts and people read it, and never an
// error's stack (an unexpected error's first line is all that is printed; the stack is a bug report's
// business, not a terminal's).
import { ERRORS } from '../shared/errors.js';
import { VaultError } from '../core/vault/vault.js';

/** A command line that does not make sense: exit code 2 and a pointer to --help. */
export class UsageError extends Error {}

export function isUsageError(err: unknown): boolean {
  return err instanceof UsageError || String((err as { code?: unknown } | null)?.code).startsWith('ERR_PARSE_ARGS');
}

/** What to do about a history this process cannot open, in the CLI's own terms. */
function vaultHint(err: VaultError): string {
  switch (err.code) {
    case 'locked':
      return `${err.message} (give its passphrase in WARBLER_PASSPHRASE, or its key file with --key-file)`;
    case 'wrong_passphrase':
      return `${err.message} (WARBLER_PASSPHRASE)`;
    case 'wrong_key_file':
      return `${err.message} (--key-file)`;
    default:
      return err.message;
  }
}

/** `warbler: <reason>`, one line, whatever was thrown. */
export function failureLine(err: unknown): string {
  const message = err instanceof VaultError ? vaultHint(err) : err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  const reason = message.split('\n')[0]!.trim() || ERRORS.internal.message;
  return `warbler: ${reason}${isUsageError(err) ? ' (see warbler --help)' : ''}`;
}
