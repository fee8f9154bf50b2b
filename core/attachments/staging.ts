// Files on their way into a message: each is encrypted as it streams in, under its own random key,
// into <profile>/attachments/<id>, and kept staged (its pointer, key and digest in memory only)
// until a message sends it or the person removes it. Images, unless sent as files, are re-encoded
// first (core/attachments/media.ts): no EXIF, no GPS position, and a thumbnail placeholder.
import fs from 'node:fs';
import path from 'node:path';
import {
  AttachmentPointer,
  StageOptions,
  cipherSizeOf,
  kindOf,
  type AttachmentKind,
  type MediaMeta,
  type StagedAttachment,
} from '../../shared/attachment.js';
import { attachmentKeyToText, newAttachmentKey } from '../../shared/attachment-crypto.js';
import { newId } from '../../shared/ids.js';
import { formatBytes } from '../../shared/size.js';
import { ATTACHMENTS_DIR, attachmentFile } from './attachment-store.js';
import { encryptTo } from './cipher-stream.js';
import { ClientError } from './errors.js';
import { MediaError, prepareImage } from './media.js';

/**
 * An image is re-encoded whole, so it is held in memory: up to this many bytes. A larger one is
 * refused (it would rather go as a file) than buffered without end.
 */
export const IMAGE_BUFFER_MAX_BYTES = 64 * 1024 * 1024;

export interface StagingDeps {
  profileDir: string;
  /** The largest ciphertext the relay takes now. */
  maxBytes(): number;
}

export function tooLarge(max: number): ClientError {
  return new ClientError('attachment_too_large', `the relay takes files of at most ${formatBytes(max)}`, { max: formatBytes(max) });
}

export class Staging {
  private readonly staged = new Map<string, { pointer: AttachmentPointer; view: StagedAttachment }>();

  constructor(private readonly d: StagingDeps) {}

  /**
   * Encrypts what `source` yields into a staged file; refuses as soon as it outgrows the relay's
   * limit. Each piece is used before the next is asked for: a source may yield one buffer refilled.
   */
  async stage(source: AsyncIterable<Uint8Array>, rawOptions: StageOptions): Promise<StagedAttachment> {
    const options = StageOptions.parse(rawOptions);
    const max = this.d.maxBytes();
    const kind: AttachmentKind = options.asFile ? 'file' : kindOf(options.type, options.voice);
    const id = newId();
    const file = attachmentFile(this.d.profileDir, id);
    const key = newAttachmentKey();
    let type = options.type;
    let meta: MediaMeta = options.meta ?? {};
    let input = limited(source, max);
    if (kind === 'image') {
      const image = await prepared(input, options.type);
      type = image.type;
      meta = { width: image.width, height: image.height, thumbhash: image.thumbhash };
      if (cipherSizeOf(image.bytes.length) > max) throw tooLarge(max);
      input = once(image.bytes);
    }
    const encrypted = await encryptTo(input, file, key);
    const pointer = AttachmentPointer.parse({
      id,
      key: attachmentKeyToText(key),
      digest: encrypted.digest,
      size: encrypted.size,
      cipherSize: encrypted.cipherSize,
      type,
      name: options.name,
      kind,
      ...meta,
    });
    const { key: _key, digest: _digest, cipherSize: _cipherSize, id: _id, ...shown } = pointer;
    const view: StagedAttachment = { stagedId: id, ...shown };
    this.staged.set(id, { pointer, view });
    return view;
  }

  has(id: string): boolean {
    return this.staged.has(id);
  }

  /** Forgets a staged file and deletes its ciphertext; nothing when it is not staged (sent, or discarded already). */
  async discard(id: string): Promise<void> {
    if (!this.staged.delete(id)) return;
    await fs.promises.rm(attachmentFile(this.d.profileDir, id), { force: true });
  }

  /** The pointers of staged files, in the order asked, no longer staged; throws unknown_attachment when one is not. */
  take(ids: readonly string[]): AttachmentPointer[] {
    if (new Set(ids).size !== ids.length) throw new ClientError('bad_request', 'a file is attached twice');
    const pointers = ids.map((id) => {
      const entry = this.staged.get(id);
      if (!entry) throw new ClientError('unknown_attachment', 'no such staged file: stage it again');
      return entry.pointer;
    });
    for (const id of ids) this.staged.delete(id);
    return pointers;
  }

  /** Puts files back (their message could not be written). */
  restore(pointers: readonly AttachmentPointer[]): void {
    for (const pointer of pointers) {
      const { key: _key, digest: _digest, cipherSize: _cipherSize, id, ...shown } = pointer;
      this.staged.set(id, { pointer, view: { stagedId: id, ...shown } });
    }
  }

  /** Deletes every staged file (the client closes: a staged file lives as long as its process). */
  close(): void {
    for (const id of this.staged.keys()) fs.rmSync(attachmentFile(this.d.profileDir, id), { force: true });
    this.staged.clear();
  }
}

/**
 * At open: the folder keeps the ciphertexts of stored attachments (a download's `.part` too, to
 * resume it) and nothing else: files staged by a process that ended, a half-written `.tmp`, a
 * received file that was never verified.
 */
export function removeLeftovers(profileDir: string, stored: readonly { id: string; upload: boolean; state: string }[]): string[] {
  const dir = path.join(profileDir, ATTACHMENTS_DIR);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const byId = new Map<string, { upload: boolean; state: string }[]>();
  for (const s of stored) byId.set(s.id, [...(byId.get(s.id) ?? []), s]);
  const removed: string[] = [];
  for (const name of names) {
    const [id, suffix] = name.split(/\.(.*)/s) as [string, string | undefined];
    // A blob's rows (its original and forwarded copies) share its file: it stays if one needs it.
    const rows = byId.get(id) ?? [];
    const whole = rows.some((row) => row.upload || row.state === 'ready');
    const keep = suffix === undefined ? whole : suffix === 'part' && !whole && rows.length > 0;
    if (keep) continue;
    fs.rmSync(path.join(dir, name), { force: true, recursive: true });
    removed.push(name);
  }
  return removed;
}

/** The source, failing with attachment_too_large as soon as its ciphertext would outgrow `max`. */
async function* limited(source: AsyncIterable<Uint8Array>, max: number): AsyncGenerator<Uint8Array> {
  let size = 0;
  try {
    for await (const piece of source) {
      size += piece.length;
      if (cipherSizeOf(size) > max) throw tooLarge(max);
      yield piece;
    }
  } catch (err) {
    if (err instanceof ClientError) throw err;
    throw new ClientError('unreadable_file', `the file could not be read: ${(err as Error).message}`);
  }
}

/**
 * A file's bytes as pieces of two buffers, refilled in turn: each piece is good until the next is
 * asked for. A fresh buffer per piece costs more than encrypting it (the kernel zero-fills new
 * pages): read this way, a 100 MB file stages in about two thirds of the time a 1 MiB fs stream
 * takes. The next piece is read while the consumer works on this one: the disk and the cipher do
 * not take turns.
 */
export async function* filePieces(file: string, pieceBytes = 1024 * 1024): AsyncGenerator<Uint8Array> {
  const handle = await fs.promises.open(file, 'r');
  let reading: Promise<number> | undefined;
  try {
    let buffer = Buffer.allocUnsafe(pieceBytes);
    let spare = Buffer.allocUnsafe(pieceBytes);
    let position = 0;
    const read = (into: Buffer) => handle.read(into, 0, into.length, position).then(({ bytesRead }) => bytesRead);
    reading = read(buffer);
    for (;;) {
      const bytesRead = await reading;
      if (bytesRead === 0) return;
      position += bytesRead;
      // `spare` held the piece before this one, which the consumer is done with by now.
      reading = read(spare);
      // Left behind when the consumer stops early: never unhandled.
      reading.catch(() => 0);
      yield buffer.subarray(0, bytesRead);
      [buffer, spare] = [spare, buffer];
    }
  } finally {
    await reading?.catch(() => 0);
    await handle.close();
  }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function prepared(source: AsyncIterable<Uint8Array>, type: string) {
  const pieces: Uint8Array[] = [];
  let size = 0;
  for await (const piece of source) {
    size += piece.length;
    if (size > IMAGE_BUFFER_MAX_BYTES) {
      throw new ClientError('unreadable_file', `images over ${formatBytes(IMAGE_BUFFER_MAX_BYTES)} are not re-encoded: send it as a file`);
    }
    // Kept past the next piece: a copy (the source may refill its buffer).
    pieces.push(Buffer.from(piece));
  }
  try {
    return await prepareImage(Buffer.concat(pieces), type);
  } catch (err) {
    if (err instanceof MediaError) throw new ClientError('unreadable_file', `${err.message}: send it as a file`);
    throw err;
  }
}
