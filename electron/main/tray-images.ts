// Tray and overlay images, one per unread variant, in the size and style each OS's tray draws
// best. nativeImage picks up the @2x file beside each one by itself.
import path from 'node:path';
import { nativeImage, type NativeImage } from 'electron';
import { trayIconFiles, trayIconLook, trayVariant, type TraySize, type TrayStyle } from '../../desktop/tray-icons.js';
import type { TrayImages } from './tray.js';

export function trayImages(dir: string): TrayImages {
  const cache = new Map<string, NativeImage>();
  const load = (count: number, size: TraySize, style: TrayStyle) => {
    const [first] = trayIconFiles(trayVariant(Math.max(0, Math.floor(count))), size, style);
    const file = path.join(dir, first?.file ?? '');
    let image = cache.get(file);
    if (!image) {
      image = nativeImage.createFromPath(file);
      if (style === 'template') image.setTemplateImage(true);
      cache.set(file, image);
    }
    return image;
  };
  const look = trayIconLook(process.platform);
  return {
    tray: (count) => load(count, look.size, look.style),
    // Windows draws the overlay at 16 px over the taskbar button's corner.
    overlay: (count) => (count > 0 ? load(count, 16, 'color') : null),
  };
}
