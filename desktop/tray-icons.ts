// Which tray icon shows an unread count, and where its files are. The PNGs are rendered by
// `npm run icons` (scripts/icons.mjs) into resources/tray/<size>/ and shipped as the packaged app's
// resources/tray/ (electron-builder.yml, extraResources).
import path from 'node:path';

export const TRAY_VARIANTS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '9+'] as const;
export type TrayVariant = (typeof TRAY_VARIANTS)[number];

/** Icon sizes in device-independent pixels: 16 at 100 % display scaling, 20 at 125 %, 24 at 150 %, 32 at 200 %. */
export const TRAY_SIZES = [16, 20, 24, 32] as const;
export type TraySize = (typeof TRAY_SIZES)[number];

/** Each size comes at 1x and as `name@2x.png`, the pair Electron's nativeImage.createFromPath loads together. */
export const TRAY_SCALES = [1, 2] as const;
export type TrayScale = (typeof TRAY_SCALES)[number];

/** Colour icons, or black-and-alpha "Template" ones that macOS recolours for light and dark menu bars. */
export type TrayStyle = 'color' | 'template';

/** The folder inside the packaged app's resources, and inside the source tree's resources/. */
export const TRAY_DIR = 'tray';

/** The variant for a number of unread items: none, one digit, or "more than nine". */
export function trayVariant(unread: number): TrayVariant {
  if (!Number.isInteger(unread) || unread < 0) {
    throw new RangeError(`an unread count is a whole number of at least 0, not ${String(unread)}`);
  }
  return unread > 9 ? '9+' : (String(unread) as TrayVariant);
}

/** The file name, without scale suffix, of a variant: "9+" is spelled out so no tool trips on the "+". */
export function trayIconName(variant: TrayVariant, style: TrayStyle): string {
  return `tray-${variant === '9+' ? '9plus' : variant}${style === 'template' ? 'Template' : ''}`;
}

export interface TrayIconFile {
  scaleFactor: TrayScale;
  /** Relative to the tray folder, with forward slashes (it is also a path inside the package). */
  file: string;
}

/** A variant's files at one size: the 1x one first (the path to hand nativeImage), then @2x. */
export function trayIconFiles(variant: TrayVariant, size: TraySize, style: TrayStyle): TrayIconFile[] {
  const name = trayIconName(variant, style);
  return TRAY_SCALES.map((scaleFactor) => ({
    scaleFactor,
    file: `${size}/${name}${scaleFactor === 1 ? '' : `@${scaleFactor}x`}.png`,
  }));
}

/**
 * What each OS's tray draws best: macOS a 16-point template image in the menu bar; Windows the
 * 16 px colour icon (its 2x covers 200 % scaling); Linux status-notifier trays are 22–24 px high.
 */
export function trayIconLook(platform: NodeJS.Platform): { size: TraySize; style: TrayStyle } {
  if (platform === 'darwin') return { size: 16, style: 'template' };
  if (platform === 'win32') return { size: 16, style: 'color' };
  return { size: 24, style: 'color' };
}

/** The tray folder: in the packaged app's resources, or resources/tray/ in the source tree. */
export function trayIconsDir(app: { isPackaged: boolean; resourcesPath: string; projectRoot: string }): string {
  return app.isPackaged ? path.join(app.resourcesPath, TRAY_DIR) : path.join(app.projectRoot, 'resources', TRAY_DIR);
}
