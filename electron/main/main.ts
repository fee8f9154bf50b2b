// Electron main process: lifecycle and adapters only; the client itself is electron/core.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, powerMonitor, type BrowserWindow } from 'electron';
import { ClientService } from '../core/service.js';
import { defaultServerUrl } from '../core/paths.js';
import { ensureLocalRelay } from '../../server/embedded.js';
import type { Relay } from '../../server/relay.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { bridgeIpc } from './ipc.js';
import { notifyIncoming } from './notifications.js';
import { createMainWindow, denyPermissions, focusWindow } from './window.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../../renderer');
const preloadFile = path.join(here, '../preload/preload.cjs');

let relay: Relay | null = null;
let service: ClientService | undefined;
let win: BrowserWindow | undefined;

// One data folder for the app, the CLI and the web host (core/paths.ts); tests point it elsewhere.
if (process.env.WARBLER_HOME) app.setPath('userData', path.resolve(process.env.WARBLER_HOME));
if (!app.requestSingleInstanceLock()) app.quit();
registerAppScheme();

app.on('second-instance', () => {
  if (win) focusWindow(win);
});

app.whenReady().then(async () => {
  denyPermissions();
  serveRenderer(rendererDir);
  const serverUrl = defaultServerUrl();
  const userData = app.getPath('userData');
  relay = await ensureLocalRelay(serverUrl, path.join(userData, 'relay')).catch((err: unknown) => {
    console.error(`warbler: could not start the local relay: ${(err as Error).message}`);
    return null;
  });
  service = new ClientService({ profileDir: path.join(userData, 'profile'), defaultServerUrl: serverUrl });
  win = createMainWindow(preloadFile);
  bridgeIpc(service, win);
  const current = service;
  const window = win;
  service.on('event', (message) => {
    if (message.event === 'profile') watchClient(current, window);
    // The dock/taskbar badge counts unread chats and pushes alike (macOS, Linux Unity; Windows ignores it).
    if (message.event === 'unread') app.setBadgeCount(message.payload.chat + message.payload.push);
  });
  await service.start();
  watchClient(service, win);
  powerMonitor.on('resume', () => current.current?.connection.reconnectNow());
}).catch((err: unknown) => {
  console.error(`warbler: ${(err as Error).message}`);
  app.exit(1);
});

const watched = new WeakSet<object>();
function watchClient(svc: ClientService, window: BrowserWindow): void {
  const client = svc.current;
  if (!client || watched.has(client)) return;
  watched.add(client);
  notifyIncoming(svc, window, client);
}

app.on('window-all-closed', () => app.quit());

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting) return;
  quitting = true;
  event.preventDefault();
  void (async () => {
    await service?.close().catch(() => undefined);
    await relay?.close().catch(() => undefined);
    app.exit(0);
  })();
});
