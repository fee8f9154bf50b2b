// The tray icon with the unread count, its menu, and the window's badge (dock/launcher count on
// macOS and Linux, overlay icon on Windows), all from the same count.
import { app, Menu, Tray, type BrowserWindow, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { DesktopSettings } from '../../shared/desktop-settings.js';
import type { UnreadCounts } from '../../shared/ipc.js';
import type { ShellStrings } from '../../desktop/strings.js';
import { trayMenu, trayTooltip, type TrayAction, type TrayMenuItem } from '../../desktop/tray-menu.js';

export interface TrayImages {
  /** The tray icon for this many unread (all sizes and scale factors in one image). */
  tray(count: number): NativeImage;
  /** Windows' taskbar overlay: null for none. */
  overlay(count: number): NativeImage | null;
}

export interface TrayOptions {
  /** The main window as it is now (macOS may close and make it again). */
  window(): BrowserWindow | undefined;
  images: TrayImages;
  strings: ShellStrings;
  onAction(action: TrayAction): void;
}

export class TrayController {
  private readonly tray: Tray;
  private lastCount = -1;

  constructor(private readonly options: TrayOptions) {
    this.tray = new Tray(options.images.tray(0));
    // Where the tray delivers clicks (Windows, macOS, most Linux trays) a click opens the window;
    // the menu offers the same for trays that only show menus (appindicator).
    this.tray.on('click', () => options.onAction('open'));
    this.tray.on('double-click', () => options.onAction('open'));
  }

  update(unread: UnreadCounts, settings: DesktopSettings): void {
    if (this.tray.isDestroyed()) return;
    const total = unread.chat + unread.push;
    if (total !== this.lastCount) {
      this.lastCount = total;
      this.tray.setImage(this.options.images.tray(total));
      // Counts the dock on macOS and the launcher entry on Linux (Unity API); Windows ignores it.
      app.setBadgeCount(total);
      const win = this.options.window();
      if (process.platform === 'win32' && win && !win.isDestroyed()) {
        win.setOverlayIcon(this.options.images.overlay(total), total > 0 ? `${total} unread` : '');
      }
    }
    const { strings, onAction } = this.options;
    this.tray.setToolTip(trayTooltip(unread, strings));
    this.tray.setContextMenu(Menu.buildFromTemplate(toTemplate(trayMenu(unread, settings, new Date(), strings), onAction)));
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }
}

function toTemplate(items: TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.kind === 'separator') return { type: 'separator' };
    if (item.kind === 'submenu') return { label: item.label, submenu: toTemplate(item.items, onAction) };
    return {
      label: item.label,
      type: item.checked === undefined ? 'normal' : 'checkbox',
      ...(item.checked === undefined ? {} : { checked: item.checked }),
      enabled: item.enabled ?? true,
      click: () => onAction(item.action),
    };
  });
}
