// Prekeys on the relay: each device's signed prekey and its one-time prekeys, each handed out once.
import type { Bundle, PreKeyUpload } from '../../shared/protocol.js';

/** Most one-time prekeys the relay keeps per device (a device uploads 100 and tops up below 20). */
export const MAX_ONE_TIME_PREKEYS = 200;

export interface PreKeyStore {
  /** Replaces the signed prekey (when given) and adds one-time prekeys; returns how many one-time prekeys the device has. */
  storePreKeys(device: string, upload: PreKeyUpload): Promise<number>;
  preKeyCount(device: string): Promise<number>;
  /**
   * Prekey bundles of these devices of the account (unknown devices are left out). Each one-time
   * prekey handed out is deleted: nobody gets it twice. `remaining`: one-time prekeys left per device.
   */
  takeBundles(username: string, devices: string[]): Promise<{ bundles: Bundle[]; remaining: Record<string, number> }>;
}
