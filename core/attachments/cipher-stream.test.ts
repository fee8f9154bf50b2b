import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_CHUNK_BYTES, cipherSizeOf } from '../../shared/attachment.js';
import { ATTACHMENT_CIPHER_CHUNK_BYTES, ATTACHMENT_HEADER_BYTES, decryptAttachment, newAttachmentKey } from '../../shared/attachment-crypto.js';
import { loadSodium } from '../../shared/crypto.js';
import { patternedBytes as bytes, tempDir } from '../../tests/helpers.js';
import { AttachmentDamagedError, PLAIN_PIECE_BYTES, decryptFrom, digestOf, encryptTo, plainSizeOf } from './cipher-stream.js';

const CHUNK = ATTACHMENT_CHUNK_BYTES;
let dir: string;
let n = 0;
const fileName = () => path.join(dir, `blob-${++n}`);

beforeAll(async () => {
  await loadSodium();
  dir = tempDir('warbler-cipher-');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));


async function* pieces(data: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

/** Compared by digest: vitest's deep equality walks a large buffer byte by byte, slowly. */
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

async function failure(stream: Readable): Promise<AttachmentDamagedError> {
  try {
    await collect(stream);
  } catch (err) {
    expect(err).toBeInstanceOf(AttachmentDamagedError);
    return err as AttachmentDamagedError;
  }
  throw new Error('the damaged file decrypted');
}

async function encrypted(plain: Uint8Array, sizes = [CHUNK]) {
  const key = newAttachmentKey();
  const file = fileName();
  const result = await encryptTo(pieces(plain, sizes), file, key);
  return { key, file, result };
}

describe('encryptTo', () => {
  it.each([
    ['nothing', 0, [1]],
    ['one byte at a time', 3000, [1]],
    ['odd pieces across chunk edges', 3 * CHUNK + 123, [1000, 70_000, 1, 65_535]],
    ['exactly one chunk', CHUNK, [CHUNK]],
    ['pieces larger than a chunk', 5 * CHUNK, [3 * CHUNK + 5]],
    // A ciphertext that fills the reader's blocks exactly, and one just past two of them.
    ['exactly one read block', PLAIN_PIECE_BYTES, [3 * CHUNK]],
    ['two read blocks and a byte', 2 * PLAIN_PIECE_BYTES + 1, [100_000]],
  ])('re-chunks %s into the layout, and decrypts back', async (_, size, sizes) => {
    const plain = bytes(size);
    const { key, file, result } = await encrypted(plain, sizes);
    const cipher = fs.readFileSync(file);
    expect(result).toEqual({ size, cipherSize: cipherSizeOf(size), digest: sha(cipher) });
    expect(cipher.length).toBe(cipherSizeOf(size));
    expect(sha(decryptAttachment(key, cipher))).toBe(sha(plain));
    expect(sha(await collect(decryptFrom(file, key)))).toBe(sha(plain));
    expect(await digestOf(file)).toBe(result.digest);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
  });

  it('leaves nothing behind when the source fails', async () => {
    const file = fileName();
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield bytes(3 * CHUNK);
      throw new Error('the disk went away');
    }
    await expect(encryptTo(broken(), file, newAttachmentKey())).rejects.toThrow('the disk went away');
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it('knows the plaintext size of a ciphertext size, and which sizes no file has', () => {
    for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * CHUNK, 10 * CHUNK + 17]) expect(plainSizeOf(cipherSizeOf(size))).toBe(size);
    expect(plainSizeOf(ATTACHMENT_HEADER_BYTES + 16)).toBeUndefined();
    expect(plainSizeOf(ATTACHMENT_HEADER_BYTES + ATTACHMENT_CIPHER_CHUNK_BYTES + 17)).toBeUndefined();
    expect(plainSizeOf(ATTACHMENT_HEADER_BYTES + ATTACHMENT_CIPHER_CHUNK_BYTES + 5)).toBeUndefined();
  });
});

describe('a 20 MB file', () => {
  const size = 20 * 1024 * 1024 + 12_345;
  it('streams through both ways without being held whole', async () => {
    const key = newAttachmentKey();
    const file = fileName();
    const plainHash = createHash('sha256');
    let tmpSizeMidway = 0;
    // Generated as it is read, never whole in memory; halfway through, most of what was read must
    // already be on disk, encrypted.
    async function* source(): AsyncGenerator<Uint8Array> {
      let sent = 0;
      let i = 0;
      while (sent < size) {
        const piece = bytes(Math.min(100_003, size - sent), ++i);
        plainHash.update(piece);
        sent += piece.length;
        if (tmpSizeMidway === 0 && sent > size / 2) tmpSizeMidway = fs.statSync(`${file}.tmp`).size;
        yield piece;
      }
    }
    const result = await encryptTo(source(), file, key);
    expect(result.size).toBe(size);
    expect(fs.statSync(file).size).toBe(cipherSizeOf(size));
    expect(tmpSizeMidway).toBeGreaterThan(size / 2 - 2 * 1024 * 1024);

    const outHash = createHash('sha256');
    let largest = 0;
    let total = 0;
    for await (const chunk of decryptFrom(file, key)) {
      largest = Math.max(largest, (chunk as Buffer).length);
      total += (chunk as Buffer).length;
      outHash.update(chunk as Buffer);
    }
    expect(total).toBe(size);
    expect(largest).toBeLessThanOrEqual(PLAIN_PIECE_BYTES);
    expect(outHash.digest('hex')).toBe(plainHash.digest('hex'));
    expect(await digestOf(file)).toBe(result.digest);
  });
});

describe('decryptFrom with a range', () => {
  const size = 4 * CHUNK + 100;
  const plain = bytes(size);
  let key: Uint8Array;
  let file: string;
  beforeAll(async () => {
    ({ key, file } = await encrypted(plain));
  });

  it.each([
    [0, CHUNK - 1],
    [CHUNK - 1, CHUNK],
    [CHUNK, undefined],
    [CHUNK, 2 * CHUNK - 1],
    [2 * CHUNK + 1, 3 * CHUNK + 1],
    [4 * CHUNK, undefined],
    [size - 1, undefined],
    [size - 1, size + 1000],
    [0, 0],
    [123, undefined],
  ])('bytes %i to %s (inclusive)', async (start, end) => {
    const out = await collect(decryptFrom(file, key, { start, ...(end !== undefined ? { end } : {}) }));
    const expected = plain.subarray(start, end === undefined ? undefined : end + 1);
    expect(out.length).toBe(expected.length);
    expect(sha(out)).toBe(sha(expected));
  });

  it.each([
    [PLAIN_PIECE_BYTES - 1, PLAIN_PIECE_BYTES],
    [PLAIN_PIECE_BYTES, undefined],
    [PLAIN_PIECE_BYTES - 5, PLAIN_PIECE_BYTES + CHUNK + 3],
    [3, PLAIN_PIECE_BYTES - 1],
  ])('across the reader’s blocks: bytes %i to %s', async (start, end) => {
    const big = bytes(PLAIN_PIECE_BYTES + 2 * CHUNK + 9, 3);
    const { key: bigKey, file: bigFile } = await encrypted(big);
    const out = await collect(decryptFrom(bigFile, bigKey, { start, ...(end !== undefined ? { end } : {}) }));
    const expected = big.subarray(start, end === undefined ? undefined : end + 1);
    expect(out.length).toBe(expected.length);
    expect(sha(out)).toBe(sha(expected));
  });

  it('gives nothing past the end', async () => {
    expect((await collect(decryptFrom(file, key, { start: size }))).length).toBe(0);
    expect((await collect(decryptFrom(file, key, { start: size + 10 }))).length).toBe(0);
  });

  it('refuses a range that is not one', () => {
    expect(() => decryptFrom(file, key, { start: -1 })).toThrow(RangeError);
    expect(() => decryptFrom(file, key, { start: 10, end: 9 })).toThrow(RangeError);
    expect(() => decryptFrom(file, key, { start: 0.5 })).toThrow(RangeError);
  });
});

describe('a damaged file', () => {
  const size = 3 * CHUNK + 500;
  const plain = bytes(size);

  async function damaged(change: (cipher: Buffer) => Buffer) {
    const { key, file } = await encrypted(plain);
    fs.writeFileSync(file, change(fs.readFileSync(file)));
    return { key, file };
  }

  it.each([
    ['a flipped bit in the header', 5],
    ['a flipped bit in the first chunk', ATTACHMENT_HEADER_BYTES + 100],
    ['a flipped bit in the last chunk', cipherSizeOf(size) - 3],
  ])('%s', async (_, offset) => {
    const { key, file } = await damaged((c) => {
      c[offset]! ^= 0x20;
      return c;
    });
    expect((await failure(decryptFrom(file, key))).reason).toBe('forged');
  });

  it('a tampered chunk, even when the range asked for starts after it', async () => {
    const { key, file } = await damaged((c) => {
      c[ATTACHMENT_HEADER_BYTES + 10]! ^= 1;
      return c;
    });
    expect((await failure(decryptFrom(file, key, { start: 2 * CHUNK }))).reason).toBe('forged');
  });

  it('truncated at a chunk boundary (the FINAL chunk missing)', async () => {
    const { key, file } = await damaged((c) => c.subarray(0, ATTACHMENT_HEADER_BYTES + 3 * ATTACHMENT_CIPHER_CHUNK_BYTES));
    expect((await failure(decryptFrom(file, key))).reason).toBe('truncated');
  });

  it('truncated inside a chunk, or to its header, or shorter', async () => {
    for (const keep of [cipherSizeOf(size) - 100, ATTACHMENT_HEADER_BYTES, 10, 0]) {
      const { key, file } = await damaged((c) => c.subarray(0, keep));
      expect((await failure(decryptFrom(file, key))).reason).toMatch(/^(forged|truncated|malformed)$/);
    }
  });

  it('extra data after the FINAL chunk', async () => {
    const { key, file } = await damaged((c) => Buffer.concat([c, Buffer.from('more')]));
    await failure(decryptFrom(file, key));
    // A full final chunk followed by a whole chunk's worth more: read as a chunk after FINAL.
    const full = await encrypted(bytes(CHUNK));
    fs.appendFileSync(full.file, fs.readFileSync(full.file).subarray(ATTACHMENT_HEADER_BYTES));
    expect((await failure(decryptFrom(full.file, full.key))).reason).toBe('extra_data');
  });

  it('chunks swapped', async () => {
    const { key, file } = await damaged((c) => {
      const at = (i: number) => c.subarray(ATTACHMENT_HEADER_BYTES + i * ATTACHMENT_CIPHER_CHUNK_BYTES, ATTACHMENT_HEADER_BYTES + (i + 1) * ATTACHMENT_CIPHER_CHUNK_BYTES);
      return Buffer.concat([c.subarray(0, ATTACHMENT_HEADER_BYTES), at(1), at(0), c.subarray(ATTACHMENT_HEADER_BYTES + 2 * ATTACHMENT_CIPHER_CHUNK_BYTES)]);
    });
    expect((await failure(decryptFrom(file, key))).reason).toBe('forged');
  });

  it('the wrong key', async () => {
    const { file } = await encrypted(plain);
    expect((await failure(decryptFrom(file, newAttachmentKey()))).reason).toBe('forged');
  });

  it('a file that is not there fails as the file system says', async () => {
    await expect(collect(decryptFrom(path.join(dir, 'absent'), newAttachmentKey()))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
