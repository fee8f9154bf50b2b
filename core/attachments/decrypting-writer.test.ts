// The writer "Save as" decrypts a download through: ciphertext made by encryptTo, cut into the
// pieces a socket might give, must come out as the plaintext; anything damaged must say so.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_CHUNK_BYTES } from '../../shared/attachment.js';
import { ATTACHMENT_CIPHER_CHUNK_BYTES, ATTACHMENT_HEADER_BYTES, newAttachmentKey } from '../../shared/attachment-crypto.js';
import { loadSodium } from '../../shared/crypto.js';
import { patternedBytes as bytes, tempDir } from '../../tests/helpers.js';
import { encryptTo } from './cipher-stream.js';
import { DecryptingWriter } from './decrypting-writer.js';

const CHUNK = ATTACHMENT_CHUNK_BYTES;
let dir: string;
let n = 0;
const fileName = () => path.join(dir, `file-${++n}`);
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

beforeAll(async () => {
  await loadSodium();
  dir = tempDir('warbler-decrypting-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


async function ciphertextOf(plain: Buffer): Promise<{ key: Uint8Array; cipher: Buffer }> {
  const key = newAttachmentKey();
  const file = fileName();
  await encryptTo((async function* () { yield plain; })(), file, key);
  return { key, cipher: fs.readFileSync(file) };
}

/** Feeds `cipher` to a fresh writer in pieces of the sizes given (cycled); what it wrote and said. */
async function through(key: Uint8Array, cipher: Buffer, sizes: number[]): Promise<{ ok: boolean; written: Buffer }> {
  const out = fileName();
  const writer = await DecryptingWriter.create(out, key);
  for (let at = 0, i = 0; at < cipher.length; i++) {
    const size = sizes[i % sizes.length]!;
    await writer.write(cipher.subarray(at, at + size));
    at += size;
  }
  const ok = await writer.finish();
  return { ok, written: fs.readFileSync(out) };
}

describe('DecryptingWriter', () => {
  it.each([
    ['an empty file in one piece', 0, [1 << 20]],
    ['a byte at a time, header included', 2 * CHUNK + 40, [1]],
    ['socket-sized pieces across chunk edges', 5 * CHUNK + 321, [65_536, 16_384, 7, 100_003]],
    ['exactly two chunks (the final one full-sized)', 2 * CHUNK, [ATTACHMENT_CIPHER_CHUNK_BYTES]],
    ['the header alone, then everything', 20 * CHUNK + 1, [ATTACHMENT_HEADER_BYTES, 1 << 24]],
  ])('writes the plaintext of %s', async (_, size, sizes) => {
    const plain = bytes(size);
    const { key, cipher } = await ciphertextOf(plain);
    const { ok, written } = await through(key, cipher, sizes);
    expect(ok).toBe(true);
    expect(written.length).toBe(size);
    expect(sha(written)).toBe(sha(plain));
  });

  it('says it did not write the file when a chunk was tampered with, cut short, or extended', async () => {
    const plain = bytes(3 * CHUNK + 5);
    const { key, cipher } = await ciphertextOf(plain);
    const tampered = Buffer.from(cipher);
    tampered[ATTACHMENT_HEADER_BYTES + CHUNK + 100]! ^= 1;
    expect((await through(key, tampered, [50_000])).ok).toBe(false);
    expect((await through(key, cipher.subarray(0, ATTACHMENT_HEADER_BYTES + 2 * ATTACHMENT_CIPHER_CHUNK_BYTES), [50_000])).ok).toBe(false);
    expect((await through(key, cipher.subarray(0, cipher.length - 3), [50_000])).ok).toBe(false);
    expect((await through(key, Buffer.concat([cipher, Buffer.from([1, 2, 3])]), [50_000])).ok).toBe(false);
    expect((await through(key, cipher.subarray(0, 10), [50_000])).ok).toBe(false);
    expect((await through(newAttachmentKey(), cipher, [50_000])).ok).toBe(false);
  });

  it('refuses to write over a file that is there', async () => {
    const out = fileName();
    fs.writeFileSync(out, 'keep me');
    await expect(DecryptingWriter.create(out, newAttachmentKey())).rejects.toMatchObject({ code: 'EEXIST' });
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');
  });
});
