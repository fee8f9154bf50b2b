import type { ErrorCode, ErrorParams } from '../../shared/errors.js';
import type { ErrorFrame } from '../../shared/protocol.js';

/** A request the relay answered with an error frame, or that could not be made. */
export class RelayError extends Error {
  /** What the app's text for the code needs: the relay's (in its frame), or this client's. */
  readonly params: ErrorParams | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly frame?: ErrorFrame,
    params?: ErrorParams,
  ) {
    super(message);
    this.name = 'RelayError';
    this.params = params ?? frame?.params;
  }
}
