// The app's own pages are served as app://warbler/…; nothing else may talk to the main process or
// be navigated to. WHATWG URL gives every non-special scheme the origin "null", so this compares
// scheme and host, never .origin.
export const APP_SCHEME = 'app';
export const APP_HOST = 'warbler';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password;
  } catch {
    return false;
  }
}
