/**
 * The renderer's Content-Security-Policy, sent as a header by both hosts (the HTML files carry the
 * same policy as a meta tag). Only the bridge differs: Electron's renderer connects nowhere; the
 * web host's page opens its bridge WebSocket on its own origin.
 */
export function rendererCsp(connect: 'none' | 'self'): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // Voice notes and videos play from the page's own origin (/attachments/<id>, decrypted by the host);
    // blob: lets the composer read a video the person attached (its size and length) before staging it.
    "media-src 'self' blob:",
    "font-src 'self'",
    `connect-src '${connect}'`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
