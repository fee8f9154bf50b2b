// How both hosts answer the page's request for a push's image (GET /push-attachments/<push id>):
// the preview the core fetched from the relay and keeps in the profile (core/push-attachment-files.ts).
// Plain Node: the web host serves it over HTTP, Electron's app:// protocol handler from the same answer.
import type { Readable } from 'node:stream';
import { PUSH_ATTACHMENTS_PATH } from '../shared/push.js';

/** Only ever an image (the core checked its bytes); still no script, no sniffing, nothing else loaded. */
const PREVIEW_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'";

export type OpenPushPreview = (pushId: string) => Promise<{ body: Readable; type: string; size: number }>;

export interface PushPreviewAnswer {
  status: number;
  headers: Record<string, string>;
  /** Null for HEAD and for errors (their text is in `text`). */
  body: Readable | null;
  text?: string;
}

/** The push id in a path under /push-attachments/, or null when the path is not one. */
export function pushPreviewIdOf(pathname: string): string | null {
  if (!pathname.startsWith(PUSH_ATTACHMENTS_PATH)) return null;
  const id = pathname.slice(PUSH_ATTACHMENTS_PATH.length);
  return /^[A-Za-z0-9]{1,32}$/.test(id) ? id : null;
}

const plain = (status: number, text: string): PushPreviewAnswer => ({
  status,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
  body: null,
  text,
});

/** 200 with the image, 404 when the push has none to show (not an image, too large, expired on the relay, gone). */
export async function answerPushPreview(open: OpenPushPreview, request: { method: string; pathname: string }): Promise<PushPreviewAnswer> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'only GET and HEAD');
  const id = pushPreviewIdOf(request.pathname);
  if (!id) return plain(404, 'not found');
  let opened: Awaited<ReturnType<OpenPushPreview>>;
  try {
    opened = await open(id);
  } catch {
    return plain(404, 'no image for this push');
  }
  const headers: Record<string, string> = {
    'content-type': opened.type,
    'content-length': String(opened.size),
    'content-security-policy': PREVIEW_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // From the profile: a read from disk is all a second showing costs.
    'cache-control': 'no-store',
  };
  if (request.method === 'HEAD') {
    opened.body.destroy();
    return { status: 200, headers, body: null };
  }
  return { status: 200, headers, body: opened.body };
}
