// The renderer is loaded from app://warbler/, served from the packaged files only: never remote content.
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { rendererCsp } from '../../shared/csp.js';
import { resolveInside } from '../../core/static-path.js';
import { APP_HOST, APP_SCHEME } from '../../desktop/app-url.js';
import { answerAttachment, attachmentIdOf, type Open } from '../../desktop/attachment-response.js';
import { answerPushPreview, pushPreviewIdOf, type OpenPushPreview } from '../../desktop/push-attachment-response.js';

export { APP_ORIGIN, isAppUrl } from '../../desktop/app-url.js';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // stream: <audio> and <video> play attachments from app://warbler/attachments/… in ranges (seeking).
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

/**
 * `openAttachment`: the service's, once there is one (attachments are served from the profile, decrypted);
 * `openPushPreview` likewise for the images attached to pushes (/push-attachments/<push id>).
 */
export function serveRenderer(rendererDir: string, openAttachment: () => Open | undefined, openPushPreview: () => OpenPushPreview | undefined = () => undefined): void {
  const root = path.resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const open = openAttachment();
    if (attachmentIdOf(url.pathname) !== null && open) {
      const answer = await answerAttachment(open, {
        method: request.method,
        pathname: url.pathname,
        search: url.searchParams,
        range: request.headers.get('range') ?? undefined,
      });
      const body = answer.body ? (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>) : (answer.text ?? null);
      return new Response(body, { status: answer.status, headers: answer.headers });
    }
    const openPreview = openPushPreview();
    if (pushPreviewIdOf(url.pathname) !== null && openPreview) {
      const answer = await answerPushPreview(openPreview, { method: request.method, pathname: url.pathname });
      const body = answer.body ? (Readable.toWeb(answer.body) as ReadableStream<Uint8Array>) : (answer.text ?? null);
      return new Response(body, { status: answer.status, headers: answer.headers });
    }
    const file = resolveInside(root, url.pathname === '/' ? '/index.html' : url.pathname);
    if (!file) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('content-security-policy', rendererCsp('none'));
    headers.set('x-content-type-options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
