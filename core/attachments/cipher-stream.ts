// Files in and out of an attachment's secretstream ciphertext (shared/attachment-crypto.ts), streamed:
// memory stays at about a megabyte whatever the file's size. The ciphertext is what the profile keeps
// and what the relay stores; plaintext only ever flows through a stream to where it is wanted.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { ATTACHMENT_CHUNK_BYTES } from '../../shared/attachment.js';
import {
  ATTACHMENT_CHUNK_OVERHEAD,
  ATTACHMENT_CIPHER_CHUNK_BYTES,
  ATTACHMENT_HEADER_BYTES,
  AttachmentDamagedError,
  AttachmentDecryptor,
  AttachmentEncryptor,
} from '../../shared/attachment-crypto.js';
import { loadSodium } from '../../shared/crypto.js';
import { syncDir } from '../atomic-file.js';
import { installNativeSecretStream } from './native-secretstream.js';

/** Chunks per read or write: ~1 MiB, few enough syscalls for disk speed, little enough memory. */
const CHUNKS_PER_IO = 16;
/** The largest piece of plaintext decryptFrom's stream hands on at once. */
export const PLAIN_PIECE_BYTES = CHUNKS_PER_IO * ATTACHMENT_CHUNK_BYTES;

export interface EncryptedFile {
  /** SHA-256 of the whole ciphertext, hex: what the pointer carries and the download is checked against. */
  digest: string;
  /** Plaintext bytes. */
  size: number;
  /** Ciphertext bytes (cipherSizeOf(size)). */
  cipherSize: number;
}

/** A part of the plaintext: bytes start to end, both included (as Node's fs streams and HTTP ranges count). */
export interface PlainRange {
  start: number;
  end?: number;
}

/** Plaintext bytes of a well-formed ciphertext of `cipherSize` bytes (the inverse of cipherSizeOf); undefined when no plaintext has that ciphertext size. */
export function plainSizeOf(cipherSize: number): number | undefined {
  const body = cipherSize - ATTACHMENT_HEADER_BYTES;
  if (!Number.isSafeInteger(body) || body < ATTACHMENT_CHUNK_OVERHEAD) return undefined;
  const chunks = Math.ceil(body / ATTACHMENT_CIPHER_CHUNK_BYTES);
  const last = body - (chunks - 1) * ATTACHMENT_CIPHER_CHUNK_BYTES;
  // Every chunk carries its 17 bytes; only an empty file's single chunk carries nothing else.
  if (last < ATTACHMENT_CHUNK_OVERHEAD || (last === ATTACHMENT_CHUNK_OVERHEAD && chunks > 1)) return undefined;
  return body - chunks * ATTACHMENT_CHUNK_OVERHEAD;
}

/**
 * Encrypts everything `source` yields into `file` (with the key given), in ATTACHMENT_CHUNK_BYTES
 * chunks whatever sizes the source yields. Written beside as `file.tmp`, synced, then renamed: a
 * crash or a failing source leaves no file under the final name.
 */
/**
 * libsodium ready, on native code where the addon loads (once, at the first file rather than
 * at start-up): every file of the core is encrypted and decrypted through here.
 */
export async function cryptoReady(): Promise<void> {
  await loadSodium();
  installNativeSecretStream();
}

export async function encryptTo(source: AsyncIterable<Uint8Array>, file: string, key: Uint8Array): Promise<EncryptedFile> {
  await cryptoReady();
  const encryptor = new AttachmentEncryptor(key);
  const tmp = `${file}.tmp`;
  await fs.promises.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const handle = await fs.promises.open(tmp, 'w', 0o600);
  const hash = createHash('sha256');
  let size = 0;
  let cipherSize = 0;
  // Chunks are encrypted straight into one of two batch buffers: one is written while the other
  // fills (the disk and libsodium take turns otherwise), and nothing is allocated per chunk.
  const room = ATTACHMENT_HEADER_BYTES + CHUNKS_PER_IO * ATTACHMENT_CIPHER_CHUNK_BYTES;
  let batch = Buffer.allocUnsafe(room);
  let spare = Buffer.allocUnsafe(room);
  let filled = 0;
  let writing: Promise<void> = Promise.resolve();

  const flush = async (): Promise<void> => {
    const data = batch.subarray(0, filled);
    hash.update(data);
    cipherSize += data.length;
    await writing;
    writing = writeAll(handle, data);
    // Awaited before the next flush or at the end; until then a failure must not count as unhandled.
    writing.catch(() => undefined);
    [batch, spare] = [spare, batch];
    filled = 0;
  };
  const push = async (plain: Uint8Array, final: boolean): Promise<void> => {
    if (filled + plain.length + ATTACHMENT_CHUNK_OVERHEAD > room) await flush();
    filled += encryptor.pushInto(plain, final, batch, filled);
  };

  try {
    batch.set(encryptor.header, 0);
    filled = encryptor.header.length;
    // One chunk waits in `pending` until the source says whether more follows: only then is it
    // known whether it is the final one.
    const pending = new Uint8Array(ATTACHMENT_CHUNK_BYTES);
    let waiting = 0;
    for await (const piece of source) {
      let offset = 0;
      while (offset < piece.length) {
        if (waiting === ATTACHMENT_CHUNK_BYTES) {
          await push(pending, false);
          waiting = 0;
        }
        // Whole chunks with more after them go straight from the source's buffer.
        if (waiting === 0 && piece.length - offset > ATTACHMENT_CHUNK_BYTES) {
          await push(piece.subarray(offset, offset + ATTACHMENT_CHUNK_BYTES), false);
          offset += ATTACHMENT_CHUNK_BYTES;
          continue;
        }
        const take = Math.min(piece.length - offset, ATTACHMENT_CHUNK_BYTES - waiting);
        pending.set(piece.subarray(offset, offset + take), waiting);
        waiting += take;
        offset += take;
      }
      size += piece.length;
    }
    await push(pending.subarray(0, waiting), true);
    pending.fill(0);
    await flush();
    await writing;
    await handle.sync();
    await handle.close();
  } catch (err) {
    encryptor.dispose();
    await writing.catch(() => undefined);
    await handle.close().catch(() => undefined);
    await fs.promises.rm(tmp, { force: true });
    throw err;
  }
  await fs.promises.rename(tmp, file);
  syncDir(path.dirname(file));
  return { digest: hash.digest('hex'), size, cipherSize };
}

export async function writeAll(handle: fs.promises.FileHandle, data: Uint8Array): Promise<void> {
  // A write may take less than asked (a full disk, a signal): carry on from where it stopped.
  for (let at = 0; at < data.length; ) {
    const { bytesWritten } = await handle.write(data, at, data.length - at);
    at += bytesWritten;
  }
}

/**
 * The plaintext of the ciphertext in `file`, or of the `range` of it. The stream fails with
 * AttachmentDamagedError on a forged, reordered, truncated or extended ciphertext, possibly after
 * some plaintext was delivered: whoever needs all-or-nothing checks the digest first (the core
 * opens only verified files). Secretstream can only be read from its start, so a range decrypts
 * the chunks before it and skips them; a range that ends before the file does stops there, the
 * bytes it delivered being authenticated all the same.
 */
export function decryptFrom(file: string, key: Uint8Array, range?: PlainRange): Readable {
  const start = range?.start ?? 0;
  const end = range?.end ?? Number.POSITIVE_INFINITY;
  if (!Number.isSafeInteger(start) || start < 0 || (range?.end !== undefined && (!Number.isSafeInteger(end) || end < start))) {
    throw new RangeError(`not a byte range: ${start}-${range?.end ?? ''}`);
  }
  // Pieces are up to a block (~1 MiB) of plaintext; one is buffered ahead of the reader at most.
  return Readable.from(plaintextOf(file, key, start, end), { objectMode: false, highWaterMark: ATTACHMENT_CHUNK_BYTES });
}

async function* plaintextOf(file: string, key: Uint8Array, start: number, end: number): AsyncGenerator<Buffer> {
  await cryptoReady();
  const handle = await fs.promises.open(file, 'r');
  let decryptor: AttachmentDecryptor | undefined;
  try {
    const header = Buffer.alloc(ATTACHMENT_HEADER_BYTES);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    decryptor = new AttachmentDecryptor(key, header.subarray(0, bytesRead));
    // Two blocks: the next is read while the current one is decrypted.
    let block = Buffer.alloc(ATTACHMENT_CIPHER_CHUNK_BYTES * CHUNKS_PER_IO);
    let spare = Buffer.alloc(block.length);
    let position = ATTACHMENT_HEADER_BYTES;
    let plainOffset = 0;
    let reading = readFull(handle, block, position);
    for (;;) {
      const got = await reading;
      position += got;
      if (got === block.length) {
        reading = readFull(handle, spare, position);
        // A generator left early (a range's end, a consumer gone) leaves this read behind: never unhandled.
        reading.catch(() => 0);
      }
      // A block's plaintext is decrypted into one new buffer (whoever reads the stream may keep it)
      // and handed on as one piece, or as the part of it the range wants.
      const plain = Buffer.allocUnsafe(PLAIN_PIECE_BYTES);
      let length = 0;
      for (let o = 0; o < got && plainOffset + length <= end; o += ATTACHMENT_CIPHER_CHUNK_BYTES) {
        length += decryptor.pullInto(block.subarray(o, Math.min(o + ATTACHMENT_CIPHER_CHUNK_BYTES, got)), plain, length).length;
      }
      const from = Math.max(start - plainOffset, 0);
      const to = Math.min(end + 1 - plainOffset, length);
      plainOffset += length;
      if (from < to) yield plain.subarray(from, to);
      if (plainOffset > end) return;
      // A short read is the end of the file (readFull fills the block otherwise).
      if (got < block.length) break;
      [block, spare] = [spare, block];
    }
    decryptor.end();
  } finally {
    // A consumer that stopped reading early leaves the stream unfinished: wiped all the same.
    decryptor?.dispose();
    await handle.close();
  }
}

/** Reads until `buffer` is full or the file ends; how many bytes it read. */
async function readFull(handle: fs.promises.FileHandle, buffer: Buffer, position: number): Promise<number> {
  let got = 0;
  while (got < buffer.length) {
    const { bytesRead } = await handle.read(buffer, got, buffer.length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/** SHA-256 of a file, hex: a download is kept only when this is the digest its pointer carries. */
export async function digestOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export { AttachmentDamagedError };
