import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Logger } from 'pino';
import { isInvokeChannel } from '../../shared/ipc.js';
import { ELECTRON_EVENT, ELECTRON_INVOKE, type IpcEventMessage, type IpcOutcome } from '../../shared/ipc-transport.js';
import type { ClientService } from '../../core/service.js';
import { isTrustedSender } from '../../desktop/ipc-guard.js';

/** Forwards the renderer's requests to core (which validates them) and core's events back. */
export function bridgeIpc(service: ClientService, currentWindow: () => BrowserWindow | undefined, log: Logger): void {
  ipcMain.handle(ELECTRON_INVOKE, async (event: IpcMainInvokeEvent, channel: unknown, request: unknown): Promise<IpcOutcome> => {
    // Only the app's own top frame in our window may call in.
    const win = currentWindow();
    if (!win || win.isDestroyed() || !isTrustedSender(event, win.webContents)) {
      // Neither the channel's request nor the sender's URL, which may carry anything.
      log.warn({ channel: isInvokeChannel(channel) ? channel : 'unknown' }, 'refused IPC from an unexpected sender');
      return { ok: false, error: { code: 'forbidden', message: 'IPC from an unexpected sender' } };
    }
    return service.invoke(channel, request);
  });
  service.on('event', (message: IpcEventMessage) => {
    const win = currentWindow();
    if (win && !win.isDestroyed()) win.webContents.send(ELECTRON_EVENT, message);
  });
}
