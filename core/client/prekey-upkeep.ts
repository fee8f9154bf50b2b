// Keeps this device reachable by people who have no session with it yet: one-time prekeys on the
// relay topped up, the signed prekey replaced when it is a week old.
import type { Logger } from 'pino';
import { ONE_TIME_PREKEYS_LOW } from '../../shared/protocol.js';
import type { PreKeyStore } from '../e2e/prekeys.js';
import type { RelayConnection } from '../relay/connection.js';

export interface PreKeyUpkeepDeps {
  preKeys: Pick<PreKeyStore, 'rotate' | 'refill'>;
  relay: Pick<RelayConnection, 'state' | 'request'>;
  log: Logger;
}

export class PreKeyUpkeep {
  /** How many one-time prekeys the relay holds, as it last said; unknown until it does. */
  private left: number | undefined;
  private uploading = false;
  private closed = false;
  /** A connection can outlive a week: the signed prekey is checked daily, not only at login. */
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly d: PreKeyUpkeepDeps) {
    this.timer = setInterval(() => this.check(), 86_400_000);
    this.timer.unref();
  }

  /** The relay said how many one-time prekeys it has left (at login, and when they run low). */
  remaining(count: number): void {
    this.left = count;
    this.check();
  }

  /** Tops the relay's one-time prekeys up to 100 when fewer than 20 are left; replaces a week-old signed prekey. */
  check(): void {
    const { relay, preKeys, log } = this.d;
    if (this.uploading || this.closed || relay.state !== 'online' || this.left === undefined) return;
    const now = Date.now();
    const left = this.left;
    const signedPreKey = preKeys.rotate(now);
    const oneTimePreKeys = left < ONE_TIME_PREKEYS_LOW ? preKeys.refill(left, now) : [];
    if (!signedPreKey && oneTimePreKeys.length === 0) return;
    this.uploading = true;
    relay
      .request({ type: 'prekeys', ...(signedPreKey ? { signedPreKey } : {}), oneTimePreKeys })
      .then(
        (result) => {
          this.left = result.oneTimePreKeys;
        },
        (err: unknown) => {
          // The secrets are kept; the next login reports the count again and the upload is retried.
          log.warn({ err }, 'could not upload prekeys');
          this.left = undefined;
        },
      )
      .finally(() => {
        this.uploading = false;
      });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }
}
