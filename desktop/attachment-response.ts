// How both hosts answer the page's request for an attachment (GET /attachments/<id>): the plaintext,
// decrypted from the profile as it is read, with Range for media seeking. Plain Node: the web host
// serves it over HTTP, Electron's app:// protocol handler from the same answer.
import type { Readable } from 'node:stream';
import { BlobId } from '../shared/attachment.js';
import { APP_ORIGIN, isAppUrl } from './app-url.js';
import type { OpenedAttachment } from '../core/client/attachment-downloads.js';

export const ATTACHMENTS_PREFIX = '/attachments/';

/**
 * Types a browser renders as a document that can run script (HTML, any XML, SVG, XSLT, scripts,
 * multipart): never shown inline on the app's origin, whatever the sandbox says.
 */
export function isActiveType(type: string): boolean {
  const t = type.toLowerCase();
  return (
    /^(text\/html|text\/xml|application\/xml|text\/xsl|text\/(java|ecma)script|application\/(x-)?(java|ecma)script|multipart\/)/.test(t) ||
    /\+xml$/.test(t)
  );
}

/**
 * Even a type that looks harmless is served with a sandbox: a file opened in a tab of its own gets
 * no script and no access to the app's origin.
 */
const ATTACHMENT_CSP = "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'";

export type Open = (id: string, range?: { start: number; end?: number }) => Promise<OpenedAttachment>;

export interface AttachmentAnswer {
  status: number;
  headers: Record<string, string>;
  /** Null for HEAD and for errors (their text is in `text`). */
  body: Readable | null;
  text?: string;
}

/** The id in a path under /attachments/, or null when the path is not one. */
export function attachmentIdOf(pathname: string): string | null {
  if (!pathname.startsWith(ATTACHMENTS_PREFIX)) return null;
  const parsed = BlobId.safeParse(pathname.slice(ATTACHMENTS_PREFIX.length));
  return parsed.success ? parsed.data : null;
}

/**
 * An attachment's own address in the desktop app (app://warbler/attachments/<id>, as "Open" asks
 * for it in a window of its own), rebuilt from its parts; null for any other address.
 */
export function appAttachmentUrl(url: string): string | null {
  if (!isAppUrl(url)) return null;
  const parsed = new URL(url);
  const id = attachmentIdOf(parsed.pathname);
  return id === null ? null : `${APP_ORIGIN}${ATTACHMENTS_PREFIX}${id}`;
}

/** bytes=N-, bytes=N-M; null for anything else (several ranges, suffix ranges: the whole file is sent). */
export function parseRange(header: string | undefined): { start: number; end?: number } | null {
  const match = /^bytes=(\d{1,15})-(\d{0,15})$/.exec(header?.trim() ?? '');
  if (!match) return null;
  const start = Number(match[1]);
  const end = match[2] === '' ? undefined : Number(match[2]);
  if (end !== undefined && end < start) return null;
  return end === undefined ? { start } : { start, end };
}

/** RFC 6266/5987: an ASCII fallback and the UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const plain = (status: number, text: string): AttachmentAnswer => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
  body: null,
  text,
});

/**
 * The answer to a GET or HEAD of an attachment: 200 or 206 with the plaintext, 416 for a range
 * outside the file, 404 when the file is not on this device (not downloaded, or unknown).
 */
export async function answerAttachment(
  open: Open,
  request: { method: string; pathname: string; search: URLSearchParams; range: string | undefined },
): Promise<AttachmentAnswer> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'only GET and HEAD');
  const id = attachmentIdOf(request.pathname);
  if (!id) return plain(404, 'not found');
  const range = parseRange(request.range);
  let opened: OpenedAttachment;
  try {
    opened = await open(id, range ?? undefined);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'bad_request') return { ...plain(416, 'range not satisfiable'), headers: { ...plain(416, '').headers, 'content-range': 'bytes */*' } };
    return plain(404, 'this file is not on this device');
  }
  const download = request.search.get('download') === '1';
  const active = isActiveType(opened.type);
  const length = opened.size === 0 ? 0 : opened.end - opened.start + 1;
  const headers: Record<string, string> = {
    // A file that could run script is never shown on the app's origin: as text when viewed, else saved.
    'content-type': active && !download ? 'text/plain; charset=utf-8' : opened.type,
    'content-length': String(length),
    'accept-ranges': 'bytes',
    'content-disposition': contentDisposition(download || active ? 'attachment' : 'inline', opened.name),
    'content-security-policy': ATTACHMENT_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Plaintext of an end-to-end encrypted file: never in a cache on disk.
    'cache-control': 'no-store',
  };
  const partial = range !== null && opened.size > 0;
  if (partial) headers['content-range'] = `bytes ${opened.start}-${opened.end}/${opened.size}`;
  if (request.method === 'HEAD') {
    opened.body.destroy();
    return { status: partial ? 206 : 200, headers, body: null };
  }
  return { status: partial ? 206 : 200, headers, body: opened.body };
}
