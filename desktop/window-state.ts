// The main window's size and place, kept across launches. A remembered place on a monitor that is
// gone (a laptop off its dock) would put the window off screen: then it is centred instead.
import fs from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-file.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const Int = z.number().int().min(-100_000).max(100_000);
const WindowStateFile = z.object({
  x: Int,
  y: Int,
  width: z.number().int().min(1).max(100_000),
  height: z.number().int().min(1).max(100_000),
  maximized: z.boolean(),
  fullScreen: z.boolean(),
});
export type WindowState = z.infer<typeof WindowStateFile>;

export const DEFAULT_SIZE = { width: 1100, height: 760 };
export const MIN_SIZE = { width: 720, height: 480 };
/** This much of the window's top edge must be on a screen for the person to grab and move it. */
const GRAB = { width: 120, height: 40 };

export interface WindowPlacement {
  /** Undefined: let the OS place it (centred). */
  bounds: Rect | { width: number; height: number };
  maximized: boolean;
  fullScreen: boolean;
}

export function readWindowState(file: string): WindowState | undefined {
  try {
    const parsed = WindowStateFile.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Where to open the window, given the work areas of the screens attached now. */
export function placeWindow(saved: WindowState | undefined, workAreas: readonly Rect[]): WindowPlacement {
  if (!saved) return { bounds: { ...DEFAULT_SIZE }, maximized: false, fullScreen: false };
  const largest = workAreas.reduce<Rect | undefined>((a, b) => (!a || b.width * b.height > a.width * a.height ? b : a), undefined);
  const fit = (n: number, min: number, max: number | undefined) => Math.max(min, max === undefined ? n : Math.min(n, max));
  const size = { width: fit(saved.width, MIN_SIZE.width, largest?.width), height: fit(saved.height, MIN_SIZE.height, largest?.height) };
  const grab: Rect = { x: saved.x, y: saved.y, width: Math.min(GRAB.width, size.width), height: GRAB.height };
  const visible = workAreas.some((area) => overlap(grab, area) >= grab.width * grab.height * 0.5);
  return {
    bounds: visible ? { x: saved.x, y: saved.y, ...size } : size,
    maximized: saved.maximized,
    fullScreen: saved.fullScreen,
  };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Records the window as it changes: the normal (not maximized) bounds, so un-maximizing next time
 * goes back to the size the person chose. Writes are batched; flush() on close.
 */
export class WindowStateKeeper {
  private state: WindowState | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly delayMs = 500,
  ) {
    this.state = readWindowState(file);
  }

  get current(): WindowState | undefined {
    return this.state;
  }

  update(window: { normalBounds: Rect; maximized: boolean; fullScreen: boolean }): void {
    const next = WindowStateFile.safeParse({
      ...roundRect(window.normalBounds),
      maximized: window.maximized,
      fullScreen: window.fullScreen,
    });
    if (!next.success) return;
    this.state = next.data;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.delayMs);
    this.timer.unref();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.state) return;
    writeFileAtomic(this.file, `${JSON.stringify(this.state)}\n`);
  }
}

function roundRect(r: Rect): Rect {
  return { x: Math.round(r.x), y: Math.round(r.y), width: Math.round(r.width), height: Math.round(r.height) };
}
