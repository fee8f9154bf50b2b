import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRAY_VARIANTS, trayIconFiles, trayIconLook, trayIconName, trayIconsDir, trayVariant } from './tray-icons.js';

describe('trayVariant', () => {
  it('shows no badge for nothing unread', () => {
    expect(trayVariant(0)).toBe('0');
  });

  it('shows the digit for one to nine', () => {
    for (let n = 1; n <= 9; n++) expect(trayVariant(n)).toBe(String(n));
  });

  it('shows "9+" from ten on', () => {
    for (const n of [10, 11, 99, 1000, Number.MAX_SAFE_INTEGER]) expect(trayVariant(n)).toBe('9+');
  });

  it('refuses what is not a count', () => {
    for (const n of [-1, -0.5, 2.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(() => trayVariant(n), String(n)).toThrow(RangeError);
    }
  });

  it('only ever names a variant there are icons for', () => {
    for (let n = 0; n <= 20; n++) expect(TRAY_VARIANTS).toContain(trayVariant(n));
  });
});

describe('tray icon files', () => {
  it('pairs the 1x file with its @2x one in the size folder, as nativeImage expects', () => {
    expect(trayIconFiles('3', 16, 'color')).toEqual([
      { scaleFactor: 1, file: '16/tray-3.png' },
      { scaleFactor: 2, file: '16/tray-3@2x.png' },
    ]);
  });

  it('names template images with the Template suffix macOS looks for, before the scale', () => {
    expect(trayIconFiles('0', 24, 'template').map((f) => f.file)).toEqual(['24/tray-0Template.png', '24/tray-0Template@2x.png']);
  });

  it('spells "9+" without the plus sign', () => {
    expect(trayIconName('9+', 'color')).toBe('tray-9plus');
    expect(trayIconFiles('9+', 32, 'template')[1]?.file).toBe('32/tray-9plusTemplate@2x.png');
  });

  it('gives every variant its own file name', () => {
    const names = TRAY_VARIANTS.flatMap((v) => [trayIconName(v, 'color'), trayIconName(v, 'template')]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('uses template images on macOS only', () => {
    expect(trayIconLook('darwin')).toEqual({ size: 16, style: 'template' });
    expect(trayIconLook('win32').style).toBe('color');
    expect(trayIconLook('linux')).toEqual({ size: 24, style: 'color' });
  });

  it('finds the folder in the package when packaged and in the source tree otherwise', () => {
    const where = { resourcesPath: path.join('/opt', 'Warbler', 'resources'), projectRoot: path.join('/src', 'warbler') };
    expect(trayIconsDir({ ...where, isPackaged: true })).toBe(path.join('/opt', 'Warbler', 'resources', 'tray'));
    expect(trayIconsDir({ ...where, isPackaged: false })).toBe(path.join('/src', 'warbler', 'resources', 'tray'));
  });
});
