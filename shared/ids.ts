import { randomBytes, toB64 } from './crypto.js';

/** A 128-bit random id, base64url (22 characters). Needs loadSodium() first. */
export function newId(): string {
  return toB64(randomBytes(16));
}
