// "Open" on a file in a conversation: the file alone, in a window of its own, as a browser tab
// shows it in the web app. The protocol handler serves it sandboxed (no script, an opaque origin)
// and never as a page that could run script; this window has no preload either, so no bridge to
// the core, and it goes nowhere else. Files the browser cannot show are offered for saving.
import { BrowserWindow } from 'electron';
import { appAttachmentUrl } from '../../desktop/attachment-response.js';
import { LOCKED_DOWN } from './web-preferences.js';

/** True when the address was an attachment of this app's and a window now shows it. */
export function openAttachmentWindow(url: string, icon?: string): boolean {
  const address = appAttachmentUrl(url);
  if (address === null) return false;
  const win = new BrowserWindow({
    width: 960,
    height: 720,
    autoHideMenuBar: true,
    ...(icon ? { icon } : {}),
    webPreferences: {
      ...LOCKED_DOWN,
      // Electron's PDF viewer is a plugin: without it a PDF could only be saved.
      plugins: true,
      spellcheck: false,
    },
  });
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void win.loadURL(address);
  return true;
}
