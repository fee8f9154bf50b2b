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
    "font-src 'self'",
    `connect-src '${connect}'`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
