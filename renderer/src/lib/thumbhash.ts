// A ThumbHash (base64, as a message carries it) as an image the page can show while the file loads.
import { thumbHashToDataURL } from 'thumbhash';

export function placeholderOf(thumbhash: string | undefined): string | null {
  if (!thumbhash) return null;
  try {
    const binary = atob(thumbhash.replace(/-/g, '+').replace(/_/g, '/'));
    return thumbHashToDataURL(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}
