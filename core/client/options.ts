// What the facade's constructors take (open, register, link) and what link gives back.
import type { Logger } from 'pino';
import type { WarblerClient } from '../client.js';
import type { ConnectionTiming } from '../relay/connection.js';
import type { DeviceLink, KeyOption } from './account.js';

export interface ClientOptions {
  /** Overrides the server URL stored in the profile. */
  serverUrl?: string;
  logger?: Logger;
  /** Heartbeat and request timeouts (tests shorten them). */
  timing?: ConnectionTiming;
  /**
   * The history key, or where to get it (vault/). Default: the key file history.key in the profile
   * folder, made with a new profile.
   */
  keys?: KeyOption;
}

/** A device link as account.ts requests it, with the client opened instead of the key written. */
export interface LinkInProgress extends Omit<DeviceLink, 'written'> {
  /** The opened client, once an existing device approved this one. */
  done: Promise<WarblerClient>;
}
