// An attachment's content, encrypted in chunks with libsodium's secretstream (XChaCha20-Poly1305):
// each chunk is authenticated and numbered by the stream's state, and the last one carries
// TAG_FINAL, so a forged, reordered, dropped, truncated or extended ciphertext is refused.
//
// Layout (shared/attachment.ts cipherSizeOf): the 24-byte header, then one message per
// ATTACHMENT_CHUNK_BYTES of plaintext, each 17 bytes longer than its plaintext; every message but
// the last is full, the last has TAG_FINAL; an empty file is one empty FINAL message. Because the
// non-final messages all have the same size, a reader splits the ciphertext without any framing,
// and the decryptor insists on exactly this layout: one file has one ciphertext.
//
// Pure (no Node): the client core streams files through it, and the same code could run in a page.
import sodium from 'libsodium-wrappers-sumo';
import { ATTACHMENT_CHUNK_BYTES } from './attachment.js';
import { fromB64, randomBytes, toB64 } from './crypto.js';
import { concat } from './e2e/primitives.js';
import { TAG_FINAL, TAG_MESSAGE, pullStream, pushStream, type PullStream, type PushStream, type SecretStreamEngine } from './secretstream.js';

export const ATTACHMENT_KEY_BYTES = 32;
export const ATTACHMENT_HEADER_BYTES = 24;
/** What secretstream adds to each message: a 1-byte encrypted tag and a 16-byte MAC. */
export const ATTACHMENT_CHUNK_OVERHEAD = 17;
/** Ciphertext bytes of every message but the last. */
export const ATTACHMENT_CIPHER_CHUNK_BYTES = ATTACHMENT_CHUNK_BYTES + ATTACHMENT_CHUNK_OVERHEAD;

/** Why a ciphertext was refused (for logs and tests: the app shows them all as attachment_damaged). */
export type DamageReason =
  /** A message does not authenticate: changed bytes, another key, a reordered or dropped message. */
  | 'forged'
  /** The ciphertext ended before the FINAL message. */
  | 'truncated'
  /** Something came after the FINAL message. */
  | 'extra_data'
  /** A message or header of a size this layout never produces, or a tag it never writes. */
  | 'malformed';

/** The ciphertext is not what the sender encrypted with this key. */
export class AttachmentDamagedError extends Error {
  readonly code = 'attachment_damaged' as const;
  constructor(
    readonly reason: DamageReason,
    message: string,
  ) {
    super(message);
    this.name = 'AttachmentDamagedError';
  }
}

function ready(): void {
  // The constructors below are synchronous (they run per file, inside streams); loadSodium() is
  // awaited at start-up, and a missed await should say so rather than fail somewhere inside libsodium.
  if (typeof sodium.crypto_secretstream_xchacha20poly1305_init_push !== 'function') {
    throw new Error('libsodium is not loaded: await loadSodium() first');
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== ATTACHMENT_KEY_BYTES) throw new Error(`an attachment key has ${ATTACHMENT_KEY_BYTES} bytes, not ${key.length}`);
}

/** A fresh random key: every attachment has its own. */
export function newAttachmentKey(): Uint8Array {
  return randomBytes(ATTACHMENT_KEY_BYTES);
}

/** The key as an AttachmentPointer carries it (base64url, 43 characters). */
export const attachmentKeyToText = (key: Uint8Array): string => {
  checkKey(key);
  return toB64(key);
};

export function attachmentKeyFromText(text: string): Uint8Array {
  const key = fromB64(text);
  checkKey(key);
  return key;
}

/** Options for tests: which secretstream engine computes the bytes (shared/secretstream.ts). */
export interface StreamOptions {
  engine?: SecretStreamEngine;
}

/**
 * Encrypts one file, message by message: `header` first, then what each push returns, in order.
 * Every push but the last takes exactly ATTACHMENT_CHUNK_BYTES; the last (final) takes 1 to
 * ATTACHMENT_CHUNK_BYTES, or 0 when it is the only one (an empty file). The stream's memory is
 * wiped when the final chunk is pushed; dispose() does it for one abandoned before then.
 */
export class AttachmentEncryptor {
  readonly header: Uint8Array;
  readonly #stream: PushStream;
  #chunks = 0;
  #done = false;

  constructor(key: Uint8Array, options: StreamOptions = {}) {
    checkKey(key);
    ready();
    this.#stream = pushStream(key, ATTACHMENT_CHUNK_BYTES, options.engine);
    this.header = this.#stream.header;
  }

  get done(): boolean {
    return this.#done;
  }

  /** The chunk's ciphertext (plain.length + 17 bytes). */
  push(plain: Uint8Array, final: boolean): Uint8Array {
    const out = new Uint8Array(plain.length + ATTACHMENT_CHUNK_OVERHEAD);
    this.pushInto(plain, final, out, 0);
    return out;
  }

  /** As push, written into out[offset…] (no allocation: files stream through this); the bytes written. */
  pushInto(plain: Uint8Array, final: boolean, out: Uint8Array, offset: number): number {
    if (this.#done) throw new Error('the attachment was already finished');
    if (plain.length > ATTACHMENT_CHUNK_BYTES) throw new Error(`a chunk holds at most ${ATTACHMENT_CHUNK_BYTES} bytes`);
    if (!final && plain.length !== ATTACHMENT_CHUNK_BYTES) throw new Error(`every chunk but the last holds ${ATTACHMENT_CHUNK_BYTES} bytes`);
    if (final && plain.length === 0 && this.#chunks > 0) throw new Error('only an empty file ends with an empty chunk');
    const written = this.#stream.push(plain, final ? TAG_FINAL : TAG_MESSAGE, out, offset);
    this.#chunks += 1;
    if (final) {
      this.#done = true;
      this.#stream.dispose();
    }
    return written;
  }

  dispose(): void {
    this.#stream.dispose();
  }
}

/**
 * Decrypts one file message by message, given the header (the ciphertext's first 24 bytes). Feed
 * it the messages in order (every ATTACHMENT_CIPHER_CHUNK_BYTES, the last one shorter or equal),
 * then call end(): a reader that sees the end of its input must, or a truncation goes unnoticed.
 * Any refusal is an AttachmentDamagedError, and the decryptor stays refused. Its memory is wiped
 * at the final chunk or a refusal; dispose() does it for one abandoned before then.
 */
export class AttachmentDecryptor {
  readonly #stream: PullStream;
  #chunks = 0;
  #done = false;
  #failed: AttachmentDamagedError | undefined;

  constructor(key: Uint8Array, header: Uint8Array, options: StreamOptions = {}) {
    checkKey(key);
    if (header.length !== ATTACHMENT_HEADER_BYTES) {
      throw new AttachmentDamagedError('malformed', `the ciphertext is shorter than its ${ATTACHMENT_HEADER_BYTES}-byte header`);
    }
    ready();
    this.#stream = pullStream(key, header, ATTACHMENT_CHUNK_BYTES, options.engine);
  }

  /** True once the FINAL message was read. */
  get done(): boolean {
    return this.#done;
  }

  pull(cipher: Uint8Array): { plain: Uint8Array; final: boolean } {
    const out = new Uint8Array(Math.max(0, Math.min(cipher.length - ATTACHMENT_CHUNK_OVERHEAD, ATTACHMENT_CHUNK_BYTES)));
    const { length, final } = this.pullInto(cipher, out, 0);
    return { plain: out.subarray(0, length), final };
  }

  /**
   * As pull, the plaintext written into out[offset…]; its length. After a refusal, whatever was
   * written there is not plaintext to use.
   */
  pullInto(cipher: Uint8Array, out: Uint8Array, offset: number): { length: number; final: boolean } {
    if (this.#failed) throw this.#failed;
    if (this.#done) return this.#fail('extra_data', 'data follows the final chunk');
    if (cipher.length < ATTACHMENT_CHUNK_OVERHEAD || cipher.length > ATTACHMENT_CIPHER_CHUNK_BYTES) {
      return this.#fail('malformed', `a ${cipher.length}-byte chunk is not one this format writes`);
    }
    const result = this.#stream.pull(cipher, out, offset);
    if (result === null) return this.#fail('forged', `chunk ${this.#chunks} does not authenticate`);
    const final = result.tag === TAG_FINAL;
    if (!final && result.tag !== TAG_MESSAGE) return this.#fail('malformed', `chunk ${this.#chunks} has tag ${result.tag}`);
    // Authentic but not this layout (a short chunk before the end, an empty last one after others):
    // only a sender of another format writes that, and accepting it would give one file two ciphertexts.
    if (!final && cipher.length !== ATTACHMENT_CIPHER_CHUNK_BYTES) return this.#fail('malformed', `chunk ${this.#chunks} is short but not final`);
    if (final && result.length === 0 && this.#chunks > 0) return this.#fail('malformed', 'an empty final chunk after others');
    this.#chunks += 1;
    if (final) {
      this.#done = true;
      this.#stream.dispose();
    }
    return { length: result.length, final };
  }

  /** Throws unless the FINAL message was read: call it where the ciphertext ends. */
  end(): void {
    if (this.#failed) throw this.#failed;
    if (!this.#done) this.#fail('truncated', `the ciphertext ends after ${this.#chunks} chunks, without its final one`);
  }

  dispose(): void {
    this.#stream.dispose();
  }

  #fail(reason: DamageReason, message: string): never {
    this.#failed = new AttachmentDamagedError(reason, message);
    this.#stream.dispose();
    throw this.#failed;
  }
}

/** A whole small file's ciphertext at once (thumbnails, tests); files stream through core/attachments/cipher-stream.ts. */
export function encryptAttachment(key: Uint8Array, plain: Uint8Array, options: StreamOptions = {}): Uint8Array {
  const encryptor = new AttachmentEncryptor(key, options);
  const parts: Uint8Array[] = [encryptor.header];
  let offset = 0;
  do {
    const end = Math.min(offset + ATTACHMENT_CHUNK_BYTES, plain.length);
    parts.push(encryptor.push(plain.subarray(offset, end), end === plain.length));
    offset = end;
  } while (!encryptor.done);
  return concat(...parts);
}

/** The plaintext of a whole ciphertext; AttachmentDamagedError unless it is exactly one file's. */
export function decryptAttachment(key: Uint8Array, cipher: Uint8Array, options: StreamOptions = {}): Uint8Array {
  const decryptor = new AttachmentDecryptor(key, cipher.subarray(0, ATTACHMENT_HEADER_BYTES), options);
  const parts: Uint8Array[] = [];
  for (let offset = ATTACHMENT_HEADER_BYTES; offset < cipher.length; offset += ATTACHMENT_CIPHER_CHUNK_BYTES) {
    parts.push(decryptor.pull(cipher.subarray(offset, offset + ATTACHMENT_CIPHER_CHUNK_BYTES)).plain);
  }
  decryptor.end();
  return concat(...parts);
}
