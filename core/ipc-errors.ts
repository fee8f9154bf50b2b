// How the client service answers a request that failed. An error this code raises on purpose
// becomes its code from the error table (shared/errors.ts), with the params the app's text needs;
// anything else is a bug or an accident: the page gets `internal` and not a word of its message,
// which may hold a path, a query or worse, and the log gets the error (its serializer scrubs it).
import type { Logger } from 'pino';
import { z } from 'zod';
import { ERRORS, type ErrorCode, type ErrorParams } from '../shared/errors.js';
import type { IpcError } from '../shared/errors.js';
import { describeZodError } from '../shared/protocol.js';
import { SchemaTooNewError } from '../shared/sqlite-migrations.js';
import { ClientError } from './attachments/errors.js';
import { RelayError } from './relay/error.js';
import { SettingsError } from './settings-store.js';
import { WrongKeyError } from './vault/cipher.js';
import { VaultError } from './vault/key-source.js';
import { ProfileInUseError } from './vault/profile-lock.js';

/** A request the service itself refuses (no profile yet, one registration at a time, …). */
export class ServiceError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** All the page learns of an error nobody expected. */
export const INTERNAL_ERROR: IpcError = { code: 'internal', message: ERRORS.internal.message };

/** The IPC form of an error: its code, English message and params; `internal` for anything unexpected. */
export function toIpcError(err: unknown): IpcError {
  if (err instanceof RelayError || err instanceof ServiceError || err instanceof ClientError) {
    return { code: err.code, message: err.message, ...(err.params ? { params: err.params } : {}) };
  }
  if (err instanceof VaultError || err instanceof SettingsError || err instanceof SchemaTooNewError || err instanceof ProfileInUseError || err instanceof WrongKeyError) {
    return { code: err.code, message: err.message };
  }
  if (err instanceof z.ZodError) return badRequest(err);
  const errno = (err as NodeJS.ErrnoException | undefined)?.code;
  if (errno === 'ECONNREFUSED' || errno === 'ENOTFOUND') return { code: 'offline', message: 'could not reach the relay' };
  return INTERNAL_ERROR;
}

/** A request that does not match the contract; `field` says which part, so the app can say what to fix. */
export function badRequest(error: z.ZodError): IpcError {
  const field = error.issues[0]?.path[0];
  return { code: 'bad_request', message: describeZodError(error), ...(typeof field === 'string' ? { params: { field } } : {}) };
}

/**
 * Logs a request that failed. The request itself never (it may hold message text, a link code or a
 * passphrase); an error the page shows as the generic line in full, as an error; any other by its
 * code alone (`code` by itself is redacted as a link code), at debug.
 */
export function logFailure(log: Logger, channel: string, error: IpcError, err: unknown): void {
  const spec = ERRORS[error.code];
  if (spec.kind === 'internal') {
    log.error({ channel, err }, 'request failed');
    return;
  }
  const missing = ('params' in spec ? spec.params : []).filter((name) => error.params?.[name] === undefined);
  // The app would show the generic line for want of them: a bug where the error was made.
  if (missing.length > 0) log.warn({ channel, errorCode: error.code, missing }, 'an error lacks the params its text needs');
  else log.debug({ channel, errorCode: error.code }, 'request refused');
}
