// Tray and overlay images from resources/tray, one per unread variant. nativeImage picks up the
// @2x (and other scale) files beside each one by itself.
import path from 'node:path';
import { nativeImage, type NativeImage } from 'electron';
import type { TrayImages } from './tray.js';

function variant(count: number): string {
  return count <= 0 ? '0' : count > 9 ? '9+' : String(count);
}

export function trayImages(resourcesDir: string): TrayImages {
  const cache = new Map<string, NativeImage>();
  const load = (file: string) => {
    let image = cache.get(file);
    if (!image) {
      image = nativeImage.createFromPath(path.join(resourcesDir, 'tray', file));
      cache.set(file, image);
    }
    return image;
  };
  return {
    tray: (count) => load(`tray-${variant(count)}.png`),
    overlay: (count) => (count > 0 ? load(`tray-${variant(count)}.png`) : null),
  };
}
