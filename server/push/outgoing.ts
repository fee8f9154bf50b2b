// A push on its way out: its bytes in each wire form (an app-session frame, an ntfy JSON line, an
// SSE event, …) are made the first time a subscriber needs that form and then shared by every
// other subscriber of the same publish, so a fan-out to N subscribers encodes (and signs) once per
// form instead of N times.
import type { PushMessage } from './message.js';

/**
 * Turns a message into one wire form. The cache is keyed by the function itself: an encoding must
 * be made once (a module constant, or one per relay) and reused, not created per subscriber.
 */
export type PushEncoding = (message: PushMessage) => string;

export class OutgoingPush {
  private readonly forms = new Map<PushEncoding, Buffer>();

  constructor(readonly message: PushMessage) {}

  /** The message in that wire form, encoded on first use. */
  as(encoding: PushEncoding): Buffer {
    let bytes = this.forms.get(encoding);
    if (!bytes) {
      bytes = Buffer.from(encoding(this.message));
      this.forms.set(encoding, bytes);
    }
    return bytes;
  }
}
