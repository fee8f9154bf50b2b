// Plaintext written as the ciphertext arrives: "Save as" on a file not yet downloaded decrypts
// each piece of the download into the chosen file's temporary twin while the download keeps the
// ciphertext, so saving costs one pass rather than a download and then a decryption. The download
// alone decides whether the file is the one the pointer names (its digest); this writer only says
// whether it wrote the whole plaintext, and never throws into the download that feeds it.
import fs from 'node:fs';
import { ATTACHMENT_CHUNK_BYTES } from '../../shared/attachment.js';
import { ATTACHMENT_CIPHER_CHUNK_BYTES, ATTACHMENT_HEADER_BYTES, AttachmentDecryptor } from '../../shared/attachment-crypto.js';
import { cryptoReady, writeAll } from './cipher-stream.js';

/** Chunks decrypted into one output buffer before it is written (about 1 MiB). */
const CHUNKS_PER_WRITE = 16;

export class DecryptingWriter {
  private decryptor: AttachmentDecryptor | undefined;
  private readonly header = Buffer.alloc(ATTACHMENT_HEADER_BYTES);
  private headerBytes = 0;
  /** A cipher chunk split between two pieces of the download. */
  private readonly carry = Buffer.alloc(ATTACHMENT_CIPHER_CHUNK_BYTES);
  private carried = 0;
  // Two output buffers: one is written while the other fills, and nothing is allocated per piece.
  private out = Buffer.allocUnsafe(CHUNKS_PER_WRITE * ATTACHMENT_CHUNK_BYTES);
  private spare = Buffer.allocUnsafe(CHUNKS_PER_WRITE * ATTACHMENT_CHUNK_BYTES);
  private filled = 0;
  private writing: Promise<void> = Promise.resolve();
  private failed = false;

  private constructor(
    private readonly handle: fs.promises.FileHandle,
    private readonly key: Uint8Array,
  ) {}

  /** Creates `file` (which must not exist) for the plaintext. */
  static async create(file: string, key: Uint8Array): Promise<DecryptingWriter> {
    await cryptoReady();
    return new DecryptingWriter(await fs.promises.open(file, 'wx', 0o600), key);
  }

  /** Takes the next piece of ciphertext, in order. The promise is the writer's backpressure. */
  async write(cipher: Uint8Array): Promise<void> {
    if (this.failed) return;
    try {
      let at = 0;
      if (this.headerBytes < ATTACHMENT_HEADER_BYTES) {
        at = Math.min(cipher.length, ATTACHMENT_HEADER_BYTES - this.headerBytes);
        this.header.set(cipher.subarray(0, at), this.headerBytes);
        this.headerBytes += at;
        if (this.headerBytes < ATTACHMENT_HEADER_BYTES) return;
        this.decryptor = new AttachmentDecryptor(this.key, this.header);
      }
      if (this.carried > 0) {
        const take = Math.min(cipher.length - at, ATTACHMENT_CIPHER_CHUNK_BYTES - this.carried);
        this.carry.set(cipher.subarray(at, at + take), this.carried);
        this.carried += take;
        at += take;
        if (this.carried < ATTACHMENT_CIPHER_CHUNK_BYTES) return;
        await this.decrypt(this.carry);
        this.carried = 0;
      }
      // Whole chunks straight from the piece; only a chunk cut by the piece's end is copied aside.
      // A full-size chunk may be the final one: it says so by its tag, and nothing may follow it.
      for (; cipher.length - at >= ATTACHMENT_CIPHER_CHUNK_BYTES; at += ATTACHMENT_CIPHER_CHUNK_BYTES) {
        await this.decrypt(cipher.subarray(at, at + ATTACHMENT_CIPHER_CHUNK_BYTES));
      }
      this.carry.set(cipher.subarray(at), 0);
      this.carried = cipher.length - at;
    } catch {
      this.failed = true;
    }
  }

  /**
   * After the last piece: true when the whole plaintext authenticated and is written and synced;
   * false otherwise (the file then holds nothing to use, and the caller removes it). Closes the file.
   */
  async finish(): Promise<boolean> {
    try {
      if (!this.failed && this.decryptor && this.carried > 0) await this.decrypt(this.carry.subarray(0, this.carried));
      if (!this.failed && this.decryptor) {
        this.decryptor.end();
        await this.flush();
        await this.writing;
        await this.handle.sync();
        return true;
      }
      return false;
    } catch {
      this.failed = true;
      return false;
    } finally {
      this.decryptor?.dispose();
      await this.writing.catch(() => undefined);
      await this.handle.close().catch(() => undefined);
    }
  }

  private async decrypt(chunk: Uint8Array): Promise<void> {
    if (this.filled + ATTACHMENT_CHUNK_BYTES > this.out.length) await this.flush();
    this.filled += this.decryptor!.pullInto(chunk, this.out, this.filled).length;
  }

  /** Hands the filled buffer to the disk and fills the other meanwhile (one write in flight). */
  private async flush(): Promise<void> {
    if (this.filled === 0) return;
    const data = this.out.subarray(0, this.filled);
    await this.writing;
    this.writing = writeAll(this.handle, data);
    // Awaited by the next flush or by finish; until then a failure must not count as unhandled.
    this.writing.catch(() => undefined);
    [this.out, this.spare] = [this.spare, this.out];
    this.filled = 0;
  }
}
