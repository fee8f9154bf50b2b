import { beforeAll, describe, expect, it } from 'vitest';
import { fromB64, generateIdentity, loadSodium } from './crypto.js';
import { RelayFingerprint } from './ipc.js';
import { relayKeyFingerprint } from './relay-key.js';

beforeAll(async () => {
  await loadSodium();
});

describe('relayKeyFingerprint', () => {
  it('is the first 20 bytes of SHA-256 over the key bytes, in five groups of eight hex digits', async () => {
    const key = generateIdentity().publicKey;
    // Web Crypto's SHA-256, not libsodium's: the digest is checked against another implementation.
    const bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', Uint8Array.from(fromB64(key))));
    const digest = Array.from(bytes.subarray(0, 20), (b) => b.toString(16).padStart(2, '0')).join('');
    const fingerprint = relayKeyFingerprint(key);
    expect(RelayFingerprint.parse(fingerprint)).toBe(fingerprint);
    expect(fingerprint.replaceAll(' ', '')).toBe(digest);
  });

  it('is the same for the same key and differs for another', () => {
    const a = generateIdentity().publicKey;
    const b = generateIdentity().publicKey;
    expect(relayKeyFingerprint(a)).toBe(relayKeyFingerprint(a));
    expect(relayKeyFingerprint(a)).not.toBe(relayKeyFingerprint(b));
  });

  it('does not take a key that is not base64url', () => {
    expect(() => relayKeyFingerprint('not a key!')).toThrow();
  });
});
