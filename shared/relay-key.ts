// What a person compares to know which relay their app talks to: a short digest of the relay's
// signing key, the same on the relay's start-up log and in the app. 20 bytes of SHA-256 as five
// groups of eight hex digits: read aloud or side by side, unlike 43 characters of base64url.
import sodium from 'libsodium-wrappers-sumo';
import { fromB64 } from './crypto.js';

const BYTES = 20;
const GROUP = 8;

/** "1a2b3c4d 5e6f7a8b …" for a relay key (base64url Ed25519); only after loadSodium() resolved. */
export function relayKeyFingerprint(relayKey: string): string {
  const hex = sodium.to_hex(sodium.crypto_hash_sha256(fromB64(relayKey)).subarray(0, BYTES));
  const groups: string[] = [];
  for (let at = 0; at < hex.length; at += GROUP) groups.push(hex.slice(at, at + GROUP));
  return groups.join(' ');
}
