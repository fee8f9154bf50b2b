// What the core's attachment code refuses or fails with: a code of the one error table, its English
// message, and the params the app's text needs (the relay's size limit, say).
import type { ErrorCode, ErrorParams, IpcError } from '../../shared/errors.js';

export class ClientError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params?: ErrorParams,
  ) {
    super(message);
    this.name = 'ClientError';
  }

  static from(error: IpcError): ClientError {
    return new ClientError(error.code, error.message, error.params);
  }

  toIpc(): IpcError {
    return { code: this.code, message: this.message, ...(this.params ? { params: this.params } : {}) };
  }
}
