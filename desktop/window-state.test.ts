import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, placeWindow, readWindowState, WindowStateKeeper } from './window-state.js';

const screen = { x: 0, y: 0, width: 1920, height: 1040 };
const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-window-')), 'window-state.json');

describe('window state', () => {
  it('is remembered across launches', () => {
    const file = tmp();
    const keeper = new WindowStateKeeper(file, 10_000);
    keeper.update({ normalBounds: { x: 100.4, y: 80, width: 900, height: 600 }, maximized: true, fullScreen: false });
    keeper.flush();
    const saved = readWindowState(file);
    expect(saved).toEqual({ x: 100, y: 80, width: 900, height: 600, maximized: true, fullScreen: false });
    expect(placeWindow(saved, [screen])).toEqual({ bounds: { x: 100, y: 80, width: 900, height: 600 }, maximized: true, fullScreen: false });
  });

  it('a window on a monitor that is gone comes back centred, sized to fit', () => {
    const saved = { x: 2500, y: 100, width: 2400, height: 1300, maximized: false, fullScreen: false };
    expect(placeWindow(saved, [screen]).bounds).toEqual({ width: 1920, height: 1040 });
    expect(placeWindow(saved, [screen, { x: 1920, y: 0, width: 2560, height: 1400 }]).bounds).toEqual({ x: 2500, y: 100, width: 2400, height: 1300 });
  });

  it('first launch, or a damaged file: the default size', () => {
    const file = tmp();
    expect(placeWindow(readWindowState(file), [screen]).bounds).toEqual(DEFAULT_SIZE);
    fs.writeFileSync(file, '{"x": "left"}');
    expect(readWindowState(file)).toBeUndefined();
  });
});
