// Known-answer tests: the primitives are the ones the RFCs and the draft define.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../crypto.js';
import { aeadDecrypt, aeadEncrypt, dh, dhKeyPairFrom, hkdf } from './primitives.js';

const hex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const range = (from: number, to: number) => Uint8Array.from({ length: to - from + 1 }, (_, i) => from + i);

beforeAll(async () => {
  await loadSodium();
});

describe('X25519 (RFC 7748)', () => {
  it('section 5.2, first vector', () => {
    const out = dh(
      hex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
      hex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
    );
    expect(toHex(out)).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });

  it('section 6.1, Diffie-Hellman', () => {
    const alice = dhKeyPairFrom(hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'));
    const bob = dhKeyPairFrom(hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'));
    expect(toHex(alice.publicKey)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(bob.publicKey)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(dh(alice.secretKey, bob.publicKey))).toBe(shared);
    expect(toHex(dh(bob.secretKey, alice.publicKey))).toBe(shared);
  });
});

describe('HKDF-SHA256 (RFC 5869)', () => {
  it('test case A.1', () => {
    const okm = hkdf(new Uint8Array(22).fill(0x0b), range(0x00, 0x0c), range(0xf0, 0xf9), 42);
    expect(toHex(okm)).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });
});

describe('XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha, A.3.1)', () => {
  const key = range(0x80, 0x9f);
  const nonce = range(0x40, 0x57);
  const ad = hex('50515253c0c1c2c3c4c5c6c7');
  const plaintext = new TextEncoder().encode(
    "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
  );
  const expected =
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39' +
    'ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
    '21f9664c97637da9768812f615c68b13b52e' +
    'c0875924c1c7987947deafd8780acf49';

  it('encrypts to the draft’s ciphertext and tag, and back', () => {
    const sealed = aeadEncrypt(key, nonce, plaintext, ad);
    expect(toHex(sealed)).toBe(expected);
    expect(aeadDecrypt(key, nonce, sealed, ad)).toEqual(plaintext);
  });

  it('refuses a changed tag or associated data', () => {
    const sealed = aeadEncrypt(key, nonce, plaintext, ad);
    sealed[sealed.length - 1]! ^= 1;
    expect(aeadDecrypt(key, nonce, sealed, ad)).toBeNull();
    expect(aeadDecrypt(key, nonce, aeadEncrypt(key, nonce, plaintext, ad), hex('50'))).toBeNull();
  });
});
