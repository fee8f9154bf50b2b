// The primitives of X3DH and the Double Ratchet, all from libsodium (sumo build: HMAC-SHA256 with
// keys of any length lives there). Call loadSodium() before any of these.
import sodium from 'libsodium-wrappers-sumo';

export const KEY_BYTES = 32;

export interface DhKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
  // The one-shot call takes 32-byte keys only, and costs half of init/update/final.
  if (key.length === sodium.crypto_auth_hmacsha256_KEYBYTES) return sodium.crypto_auth_hmacsha256(data, key);
  const state = sodium.crypto_auth_hmacsha256_init(key);
  sodium.crypto_auth_hmacsha256_update(state, data);
  return sodium.crypto_auth_hmacsha256_final(state);
}

/** HKDF-SHA256, RFC 5869. */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (length > 255 * 32) throw new Error('hkdf: length too large');
  const prk = hmacSha256(salt.length > 0 ? salt : new Uint8Array(32), ikm);
  const out = new Uint8Array(length);
  let block: Uint8Array = new Uint8Array(0);
  for (let i = 1, offset = 0; offset < length; i++) {
    block = hmacSha256(prk, concat(block, info, Uint8Array.of(i)));
    out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    offset += 32;
  }
  return out;
}

/** X25519 key pair from 32 secret bytes (any bytes: clamping is part of X25519). */
export function dhKeyPairFrom(secretKey: Uint8Array): DhKeyPair {
  return { publicKey: sodium.crypto_scalarmult_base(secretKey), secretKey };
}

export function generateDhKeyPair(): DhKeyPair {
  return dhKeyPairFrom(globalThis.crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
}

/** X25519; throws on a low-order public key (an all-zero shared secret). */
export function dh(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return sodium.crypto_scalarmult(secretKey, publicKey);
}

export const edPublicToX = (edPublic: Uint8Array): Uint8Array => sodium.crypto_sign_ed25519_pk_to_curve25519(edPublic);
export const edSecretToX = (edSecret: Uint8Array): Uint8Array => sodium.crypto_sign_ed25519_sk_to_curve25519(edSecret);

export function aeadEncrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad: Uint8Array): Uint8Array {
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
}

/** Null when the ciphertext or its associated data does not authenticate. */
export function aeadDecrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, ad: Uint8Array): Uint8Array | null {
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, key);
  } catch {
    return null;
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium.memcmp(a, b);
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
