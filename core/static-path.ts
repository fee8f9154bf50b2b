import path from 'node:path';

/**
 * The file under root that a URL path names, or null when the path is malformed or escapes root
 * (`..`, encoded or not). Both renderer hosts (Electron's app:// and the web host) serve through this.
 */
export function resolveInside(root: string, urlPathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = path.resolve(root);
  const file = path.resolve(base, `.${path.posix.normalize(`/${decoded}`)}`);
  return file.startsWith(base + path.sep) ? file : null;
}
