// Safety numbers: what two people compare (digits or a QR code) to know that the keys their apps
// use are each other's. The construction follows Signal's numeric fingerprint: per person, 5200
// rounds of SHA-512 over the account key and username, 30 digits each, the lower half first so
// both sides show the same 60 digits.
import sodium from 'libsodium-wrappers-sumo';
import { concat, utf8 } from './primitives.js';

const ITERATIONS = 5200;
const VERSION = Uint8Array.of(0, 0);

/** 30 digits for one person's account key. */
export function fingerprint(username: string, accountKey: Uint8Array): string {
  let digest = sodium.crypto_hash_sha512(concat(VERSION, accountKey, utf8(username)));
  for (let i = 0; i < ITERATIONS; i++) digest = sodium.crypto_hash_sha512(concat(digest, accountKey));
  let digits = '';
  for (let chunk = 0; chunk < 6; chunk++) {
    let value = 0;
    // 5 bytes → a 40-bit number: exact in a double.
    for (let b = 0; b < 5; b++) value = value * 256 + digest[chunk * 5 + b]!;
    digits += String(value % 100_000).padStart(5, '0');
  }
  return digits;
}

/** The 60 digits both people see. */
export function safetyNumber(a: { username: string; accountKey: Uint8Array }, b: { username: string; accountKey: Uint8Array }): string {
  const fa = fingerprint(a.username, a.accountKey);
  const fb = fingerprint(b.username, b.accountKey);
  return fa < fb ? fa + fb : fb + fa;
}

/** What the QR code carries: versioned, so a later format is told apart rather than misread. */
export function safetyQrPayload(number: string): string {
  return `warbler-safety:1:${number}`;
}
