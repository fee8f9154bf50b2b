// The native engine must write and read exactly what the WebAssembly engines do (those are held to
// frozen known answers in shared/attachment-crypto.test.ts): a file sent from a machine without the
// addon opens on one with it, and the other way round.
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_CHUNK_BYTES, cipherSizeOf } from '../../shared/attachment.js';
import { AttachmentDamagedError, AttachmentDecryptor, decryptAttachment, encryptAttachment, newAttachmentKey } from '../../shared/attachment-crypto.js';
import { loadSodium } from '../../shared/crypto.js';
import { defaultEngine, pullStream, pushStream, TAG_FINAL } from '../../shared/secretstream.js';
import { installNativeSecretStream } from './native-secretstream.js';

const bytes = (n: number, seed = 3) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + seed) & 0xff);

beforeAll(async () => {
  await loadSodium();
});

describe('native secretstream', () => {
  it('loads here and becomes the default engine', () => {
    expect(installNativeSecretStream()).toBe(true);
    expect(defaultEngine()).toBe('native');
  });

  const sizes = [0, 1, ATTACHMENT_CHUNK_BYTES - 1, ATTACHMENT_CHUNK_BYTES, 3 * ATTACHMENT_CHUNK_BYTES + 7];
  it.each(sizes)('%i bytes: native output opens with WebAssembly, and WebAssembly output with native', (size) => {
    const key = newAttachmentKey();
    const plain = bytes(size);
    const fromNative = encryptAttachment(key, plain, { engine: 'native' });
    expect(fromNative.length).toBe(cipherSizeOf(size));
    expect(decryptAttachment(key, fromNative, { engine: 'heap' })).toEqual(plain);
    expect(decryptAttachment(key, fromNative, { engine: 'wrapper' })).toEqual(plain);
    const fromHeap = encryptAttachment(key, plain, { engine: 'heap' });
    expect(decryptAttachment(key, fromHeap, { engine: 'native' })).toEqual(plain);
  });

  it('refuses a flipped bit, a wrong key and a truncation as the other engines do', () => {
    const key = newAttachmentKey();
    const cipher = encryptAttachment(key, bytes(2 * ATTACHMENT_CHUNK_BYTES + 9), { engine: 'native' });
    const flipped = cipher.slice();
    flipped[cipher.length - 30]! ^= 1;
    for (const [what, run] of [
      ['flipped', () => decryptAttachment(key, flipped, { engine: 'native' })],
      ['wrong key', () => decryptAttachment(newAttachmentKey(), cipher, { engine: 'native' })],
      ['truncated', () => decryptAttachment(key, cipher.subarray(0, cipher.length - 40), { engine: 'native' })],
    ] as const) {
      expect(run, what).toThrow(AttachmentDamagedError);
    }
    const decryptor = new AttachmentDecryptor(key, cipher.subarray(0, 24), { engine: 'native' });
    expect(() => decryptor.end()).toThrow(AttachmentDamagedError);
  });

  it('writes into the caller\'s buffer at an offset, and refuses what does not fit or comes after dispose', () => {
    const key = newAttachmentKey();
    const push = pushStream(key, 100, 'native');
    const out = new Uint8Array(200).fill(0xee);
    expect(push.push(bytes(50), TAG_FINAL, out, 10)).toBe(67);
    expect(out.subarray(0, 10).every((b) => b === 0xee)).toBe(true);
    expect(out.subarray(77).every((b) => b === 0xee)).toBe(true);
    expect(() => push.push(bytes(101), 0, new Uint8Array(200), 0)).toThrow(/at most 100/);
    expect(() => push.push(bytes(50), 0, new Uint8Array(60), 0)).toThrow(RangeError);

    const pull = pullStream(key, push.header, 100, 'native');
    const plain = new Uint8Array(60);
    expect(pull.pull(out.subarray(10, 77), plain, 5)).toEqual({ length: 50, tag: TAG_FINAL });
    expect(plain.subarray(5, 55)).toEqual(bytes(50));
    push.dispose();
    pull.dispose();
    expect(() => push.push(bytes(1), 0, out, 0)).toThrow(/disposed/);
    expect(() => pull.pull(out.subarray(10, 77), plain, 0)).toThrow(/disposed/);
  });
});
