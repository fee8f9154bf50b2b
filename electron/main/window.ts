import path from 'node:path';
import { app, BrowserWindow, screen, shell } from 'electron';
import { MIN_SIZE, placeWindow, type WindowStateKeeper } from '../../desktop/window-state.js';
import { APP_ORIGIN, isAppUrl } from './app-protocol.js';
import { openAttachmentWindow } from './attachment-window.js';
import { LOCKED_DOWN } from './web-preferences.js';

export interface MainWindowOptions {
  preloadFile: string;
  state: WindowStateKeeper;
  /** Started at login: stay in the tray until asked. */
  hidden: boolean;
  icon?: string;
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const placement = placeWindow(
    options.state.current,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    ...placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Warbler',
    show: false,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      ...LOCKED_DOWN,
      preload: path.resolve(options.preloadFile),
      spellcheck: true,
    },
  });
  // maximize() and setFullScreen() also show the window: a start in the tray keeps them for the first showing.
  const restore = () => {
    if (placement.maximized) win.maximize();
    if (placement.fullScreen) win.setFullScreen(true);
  };
  win.once('ready-to-show', () => {
    if (options.hidden) {
      win.once('show', restore);
      return;
    }
    win.show();
    restore();
  });

  const record = () => {
    if (win.isDestroyed() || win.isMinimized()) return;
    options.state.update({ normalBounds: win.getNormalBounds(), maximized: win.isMaximized(), fullScreen: win.isFullScreen() });
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const) {
    win.on(event as 'resize', record);
  }
  win.on('close', () => {
    record();
    options.state.flush();
  });

  // The window only ever shows the app itself; links a person clicks open in their browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Only a link the person clicked gets here (window.open without a gesture is blocked by Chromium's popup rules).
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    // "Open" on a file: a window of our own making (no preload), never a child of this one's preferences.
    else openAttachmentWindow(url, options.icon);
    return { action: 'deny' };
  });
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/**
 * Brings the window to the front. Each OS guards focus differently: Windows refuses a background
 * process unless the window is briefly topmost, macOS needs the app itself activated, and on
 * Linux (Wayland included) show + focus are all a client may ask; the compositor decides.
 */
export function focusWindow(win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  if (process.platform === 'win32') {
    win.setAlwaysOnTop(true);
    win.focus();
    win.setAlwaysOnTop(false);
  } else if (process.platform === 'darwin') {
    app.focus({ steal: true });
    win.focus();
  } else {
    win.focus();
    app.focus();
  }
  win.moveTop();
}
