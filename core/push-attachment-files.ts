// Previews of images attached to pushes. The page may not load remote URLs (CSP img-src 'self'), so
// the core fetches a push's image once, from the relay that delivered the push and nowhere else,
// keeps it in the profile (<profile>/push-attachments/<push id>) and the hosts serve it to the page
// at /push-attachments/<push id>. Other attachments are never fetched: the app only links to them.
// Refused: anything not kept by the relay itself, not an image by its own bytes (PNG, JPEG, GIF,
// WebP: nothing that can carry script, as SVG can), larger than the limit, or redirected elsewhere.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PushItem } from '../shared/ipc.js';
import { PUSH_PREVIEW_MAX_BYTES, isPushPreview } from '../shared/push.js';
import { relayHttpUrl } from '../shared/urls.js';
import { ClientError } from './attachments/errors.js';

export const PUSH_ATTACHMENTS_DIR = 'push-attachments';

const FETCH_TIMEOUT_MS = 60_000;
const PUSH_ID = /^[A-Za-z0-9]{1,32}$/;

/** An image's type from its first bytes; null for anything else (the type it claims does not count). */
export function imageTypeOf(head: Uint8Array): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => head[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && head.length >= 12 && String.fromCharCode(...head.subarray(8, 12)) === 'WEBP') return 'image/webp';
  return null;
}

/**
 * Where the preview of a push's attachment comes from, or null when it gets none: an image the
 * relay itself keeps for this very push (its URL on the relay's origin, at /file/<push id>), of a
 * type the app shows and within the limit. A link the publisher gave (Attach: URL) is never fetched.
 */
export function previewSource(item: Pick<PushItem, 'id' | 'attachment'>, serverUrl: string): string | null {
  const a = item.attachment;
  if (!a || !isPushPreview(a) || !PUSH_ID.test(item.id) || !URL.canParse(a.url)) return null;
  const url = new URL(a.url);
  const relay = new URL(relayHttpUrl(serverUrl));
  if (url.origin !== relay.origin || url.search !== '' || !new RegExp(`^/file/${item.id}(\\.[A-Za-z0-9]{1,16})?$`).test(url.pathname)) return null;
  return url.toString();
}

export interface PushPreview {
  body: Readable;
  type: string;
  size: number;
}

export class PushAttachmentFiles {
  private readonly dir: string;
  private readonly fetching = new Map<string, Promise<void>>();

  constructor(
    profileDir: string,
    private readonly serverUrl: string,
  ) {
    this.dir = path.join(profileDir, PUSH_ATTACHMENTS_DIR);
  }

  /**
   * The preview of a push's image, fetched from the relay the first time. Throws ClientError
   * unknown_attachment when the push gets no preview, attachment_missing when the relay no longer
   * has the file (expired), transfer_failed when it could not be fetched or is not what it claimed.
   */
  async open(item: Pick<PushItem, 'id' | 'attachment'>): Promise<PushPreview> {
    const source = previewSource(item, this.serverUrl);
    if (source === null) throw new ClientError('unknown_attachment', 'this push has no image to preview');
    const file = path.join(this.dir, item.id);
    if (!fs.existsSync(file)) {
      let fetching = this.fetching.get(item.id);
      if (!fetching) {
        fetching = this.fetch(source, file).finally(() => this.fetching.delete(item.id));
        this.fetching.set(item.id, fetching);
      }
      await fetching;
    }
    return this.read(file);
  }

  /** Deletes the previews of pushes that are gone (deleted, their topic cleared or unfollowed). */
  async forget(ids: readonly string[]): Promise<void> {
    await Promise.all(ids.filter((id) => PUSH_ID.test(id)).map((id) => fs.promises.rm(path.join(this.dir, id), { force: true })));
  }

  /** Deletes every preview whose push is not among `keep` (and downloads cut off by a stop). */
  async prune(keep: ReadonlySet<string>): Promise<number> {
    let removed = 0;
    for (const name of await fs.promises.readdir(this.dir).catch(() => [] as string[])) {
      if (keep.has(name) || this.fetching.has(name.replace(/\.part$/, ''))) continue;
      await fs.promises.rm(path.join(this.dir, name), { force: true });
      removed += 1;
    }
    return removed;
  }

  private async read(file: string): Promise<PushPreview> {
    const handle = await fs.promises.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const head = Buffer.alloc(Math.min(16, size));
      await handle.read(head, 0, head.length, 0);
      const type = imageTypeOf(head);
      if (type === null) throw new ClientError('unknown_attachment', 'the preview is not an image');
      return { body: handle.createReadStream({ start: 0 }), type, size };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  private async fetch(source: string, file: string): Promise<void> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    let response: Response;
    try {
      // redirect 'error': the relay's own origin only, even if it (or a proxy before it) points elsewhere.
      response = await fetch(source, { redirect: 'error', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (err) {
      throw new ClientError('transfer_failed', `could not fetch the image: ${(err as Error).message}`);
    }
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ClientError('attachment_missing', 'the relay no longer has this file');
    }
    const length = Number(response.headers.get('content-length') ?? NaN);
    if (!response.ok || !response.body || length > PUSH_PREVIEW_MAX_BYTES) {
      await response.body?.cancel();
      throw new ClientError('transfer_failed', `the relay answered ${response.status} for the image`);
    }
    const part = `${file}.part`;
    let size = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(size > PUSH_PREVIEW_MAX_BYTES ? new ClientError('transfer_failed', 'the image is larger than it said') : null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), cap, fs.createWriteStream(part));
      const head = Buffer.alloc(16);
      const handle = await fs.promises.open(part, 'r');
      try {
        await handle.read(head, 0, 16, 0);
      } finally {
        await handle.close();
      }
      if (imageTypeOf(head) === null) throw new ClientError('transfer_failed', 'the file is not an image');
      await fs.promises.rename(part, file);
    } catch (err) {
      await fs.promises.rm(part, { force: true });
      throw err instanceof ClientError ? err : new ClientError('transfer_failed', `could not fetch the image: ${(err as Error).message}`);
    }
  }
}
