// Native Ed25519 must sign and judge exactly as the WebAssembly build does: a device signs in one,
// the relay checks in the other.
import sodium from 'libsodium-wrappers-sumo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromB64, generateIdentity, loadSodium, sign, toB64, useNativeSignatures, verify } from '../shared/crypto.js';
import { installNativeSignatures, nativeSignatures } from './native-signatures.js';

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));

beforeAll(async () => {
  await loadSodium();
});
afterAll(() => useNativeSignatures(undefined));

// RFC 8032, section 7.1: tests 1 (empty message) and 2 (one byte).
const VECTORS = [
  {
    seed: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    seed: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

describe('native Ed25519', () => {
  it('loads here and becomes the engine of sign and verify', () => {
    expect(installNativeSignatures()).toBe(true);
  });

  it.each(VECTORS)('gives the RFC 8032 signature and accepts only it ($message)', ({ seed, message, signature }) => {
    const native = nativeSignatures()!;
    const kp = sodium.crypto_sign_seed_keypair(hex(seed));
    const signed = native.sign(hex(message), kp.privateKey);
    expect(sodium.to_hex(signed)).toBe(signature);
    expect(native.verify(signed, hex(message), kp.publicKey)).toBe(true);
    const flipped = signed.slice();
    flipped[10]! ^= 1;
    expect(native.verify(flipped, hex(message), kp.publicKey)).toBe(false);
  });

  it('agrees with WebAssembly both ways, and refuses what it refuses', () => {
    installNativeSignatures();
    for (let i = 0; i < 20; i++) {
      const id = generateIdentity();
      const message = sodium.randombytes_buf(i * 7);
      const native = sign(message, id.secretKey);
      expect(toB64(sodium.crypto_sign_detached(message, fromB64(id.secretKey)))).toBe(native);
      expect(sodium.crypto_sign_verify_detached(fromB64(native), message, fromB64(id.publicKey))).toBe(true);
      expect(verify(message, native, id.publicKey)).toBe(true);
      expect(verify(message, native, generateIdentity().publicKey)).toBe(false);
    }
    const id = generateIdentity();
    const message = sodium.randombytes_buf(40);
    const signature = sign(message, id.secretKey);
    // The addon alone would read the first 64 bytes of a longer signature and accept it.
    expect(verify(message, toB64(new Uint8Array([...fromB64(signature), 0])), id.publicKey)).toBe(false);
    expect(verify(message, toB64(fromB64(signature).slice(0, 63)), id.publicKey)).toBe(false);
    expect(verify(message, signature, toB64(fromB64(id.publicKey).slice(0, 31)))).toBe(false);
    expect(verify(message, 'not base64 !', id.publicKey)).toBe(false);
    expect(() => sign(message, toB64(new Uint8Array(10)))).toThrow();
  });
});
