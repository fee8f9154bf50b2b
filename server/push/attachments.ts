// Files attached to pushes, as ntfy keeps them: `curl -T photo.jpg -H "Filename: photo.jpg" URL/topic`
// (or a body too large or not UTF-8 to be a message) is stored under DATA/push-attachments/<message
// id> and served at /file/<id>.<ext> until it expires. Bodies stream to disk: a 15 MB upload never
// sits in memory. Unlike attachments in chats these are not end-to-end encrypted: a push is read by
// whoever may subscribe to its topic, and the relay serves it to them.
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { HttpError } from './http-error.js';
import type { PushAttachmentIndex } from '../storage/push-attachment-index.js';

export interface PushAttachmentLimits {
  /** Largest single file. */
  fileBytes: number;
  /** All stored files together. */
  totalBytes: number;
  expiryMs: number;
}

/** ntfy's `attachment` object: name, type, size, expires (Unix s) and url; an external one has name and url only. */
export interface PushAttachment {
  name: string;
  type?: string;
  size?: number;
  expires?: number;
  url: string;
}

const MAGIC: [number[], string, string][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'image/png', '.png'],
  [[0xff, 0xd8, 0xff], 'image/jpeg', '.jpg'],
  [[0x47, 0x49, 0x46, 0x38], 'image/gif', '.gif'],
  [[0x25, 0x50, 0x44, 0x46], 'application/pdf', '.pdf'],
  [[0x50, 0x4b, 0x03, 0x04], 'application/zip', '.zip'],
  [[0x1f, 0x8b], 'application/gzip', '.gz'],
];
const BY_EXT: Record<string, string> = {
  '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp',
  '.pdf': 'application/pdf', '.zip': 'application/zip', '.gz': 'application/gzip', '.txt': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8', '.json': 'application/json', '.csv': 'text/csv', '.mp4': 'video/mp4',
  '.webm': 'video/webm', '.mp3': 'audio/mpeg', '.ogg': 'audio/ogg', '.wav': 'audio/wav',
};
const EXT_BY_TYPE: Record<string, string> = { 'text/plain; charset=utf-8': '.txt', 'application/octet-stream': '.bin', 'image/webp': '.webp' };

/** The type of a file from its first bytes, then its name (as ntfy sniffs), and the extension its URL gets. */
export function detectType(head: Uint8Array, name: string | undefined): { type: string; ext: string } {
  for (const [magic, type, ext] of MAGIC) if (magic.every((b, i) => head[i] === b)) return { type, ext };
  if (head.length >= 12 && String.fromCharCode(...head.subarray(8, 12)) === 'WEBP') return { type: 'image/webp', ext: '.webp' };
  const ext = name ? path.extname(name).toLowerCase() : '';
  if (ext && BY_EXT[ext]) return { type: BY_EXT[ext], ext };
  let text = true;
  try {
    // Streaming: a multi-byte character cut at the end of the sniffed part is still text.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    text = false;
  }
  const type = text ? 'text/plain; charset=utf-8' : 'application/octet-stream';
  return { type, ext: EXT_BY_TYPE[type]! };
}

/** A file name from a header or URL: no folders, no control characters, at most 255 characters. */
export function cleanName(name: string): string {
  const base = [...path.basename(name.replace(/\\/g, '/'))].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f).join('');
  return base.slice(0, 255);
}

export class PushAttachments {
  /**
   * `index` keeps each file's size and expiry (migration 005): the total limit is checked against it
   * and a file is claimed in it before it is renamed into place, so every file there has a row.
   */
  constructor(
    readonly dir: string,
    private readonly limits: PushAttachmentLimits,
    private readonly index: PushAttachmentIndex,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    // Uploads cut off by a stop: never claimed, never served.
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith('.tmp')) fs.rmSync(path.join(dir, entry.name), { force: true });
    }
  }

  get expiryMs(): number {
    return this.limits.expiryMs;
  }

  /** Refuses early, from Content-Length, what could never fit. */
  async admit(length: number | undefined): Promise<void> {
    if (length === undefined) return;
    if (length > this.limits.fileBytes || (await this.index.totalBytes()) + length > this.limits.totalBytes) throw this.tooLarge();
  }

  /**
   * Writes `head` (what was already read) and the rest of `body` to the file of message `id`;
   * refuses (413) the moment it passes the limits, and leaves no file then. Returns its size and
   * expiry (Unix seconds).
   */
  async store(id: string, head: Buffer, body: Readable): Promise<{ size: number; expires: number }> {
    const file = this.file(id);
    const tmp = `${file}.tmp`;
    let size = 0;
    const room = Math.min(this.limits.fileBytes, this.limits.totalBytes - (await this.index.totalBytes()));
    const count = new Transform({
      transform: (chunk: Buffer, _enc, done) => {
        size += chunk.length;
        done(size > room ? this.tooLarge() : null, chunk);
      },
    });
    count.write(head);
    const expires = Math.floor(this.now() / 1000) + Math.round(this.limits.expiryMs / 1000);
    try {
      await pipeline(body, count, fs.createWriteStream(tmp));
      // Uploads streaming side by side each fit on their own: the claim decides which fit together.
      if (!(await this.index.claim({ id, size, expires }, this.limits.totalBytes))) throw this.tooLarge();
      await fs.promises.rename(tmp, file);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
    return { size, expires };
  }

  /** The stored file of a message, or null when there is none (expired, even before the prune, or never stored). */
  async open(id: string): Promise<{ stream: fs.ReadStream; size: number; head: Buffer } | null> {
    if (!/^[A-Za-z0-9]{1,32}$/.test(id)) return null;
    const row = await this.index.get(id);
    if (!row || row.expires * 1000 <= this.now()) return null;
    const file = this.file(id);
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      return null;
    }
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(512, size));
    fs.readSync(fd, head, 0, head.length, 0);
    return { stream: fs.createReadStream(file, { fd }), size, head };
  }

  /** Deletes the files whose expiry has passed, and their rows; returns how many. */
  async expire(nowMs: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const ids = await this.index.expired(Math.floor(nowMs / 1000), 500);
      for (const id of ids) {
        // The file first: a row left by a failure here is retried at the next prune.
        await fs.promises.rm(this.file(id), { force: true });
        await this.index.remove(id);
      }
      removed += ids.length;
      if (ids.length < 500) break;
    }
    if (removed > 0) this.log.info({ removed }, 'push attachments expired');
    return removed;
  }

  private file(id: string): string {
    return path.join(this.dir, id);
  }

  private tooLarge(): HttpError {
    return new HttpError('attachment_too_large', `attachment too large, or bandwidth limit reached: at most ${this.limits.fileBytes} bytes per file`);
  }
}
