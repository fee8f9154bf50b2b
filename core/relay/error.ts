import type { ErrorFrame } from '../../shared/protocol.js';

/** A request the relay answered with an error frame, or that could not be made. */
export class RelayError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly frame?: ErrorFrame,
  ) {
    super(message);
    this.name = 'RelayError';
  }
}
