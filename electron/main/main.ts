// Electron main process: lifecycle and adapters only; the client itself is core/, and the
// shell's rules (notifications, tray menu, window state, links) are desktop/.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, autoUpdater, nativeTheme, powerMonitor, shell, type BrowserWindow } from 'electron';
import type { Logger } from 'pino';
import { ClientService } from '../../core/service.js';
import { LOGS_DIR, openLogFileOrStderr, reportFatal, type LogFile } from '../../core/log-file.js';
import { scrubText } from '../../core/log-redact.js';
import { defaultServerUrl } from '../../core/paths.js';
import { SETTINGS_FILE, SettingsStore } from '../../core/settings-store.js';
import type { DesktopSettings } from '../../shared/desktop-settings.js';
import { autostartDir, HIDDEN_FLAG, setLinuxAutostart } from '../../desktop/autostart.js';
import { deepLinkInArgv, parseDeepLink, PROTOCOL, type DeepLink } from '../../desktop/deep-link.js';
import { SystemIdlePresence } from '../../desktop/idle.js';
import { shellStrings } from '../../desktop/strings.js';
import { notifyFromService, openInRenderer } from '../../desktop/notify-service.js';
import { trayActionEffect, type TrayAction } from '../../desktop/tray-menu.js';
import { WindowStateKeeper } from '../../desktop/window-state.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { bridgeIpc } from './ipc.js';
import { electronKeyring } from './keyring.js';
import { ElectronNotificationSink } from './notifications.js';
import { TrayController } from './tray.js';
import { trayImages } from './tray-images.js';
import { trayIconsDir } from '../../desktop/tray-icons.js';
import { startAutoUpdates } from './updater.js';
import { guardPermissions } from './permissions.js';
import { createMainWindow, focusWindow } from './window.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../../renderer');
const preloadFile = path.join(here, '../preload/preload.cjs');
const projectRoot = path.join(here, '../../..');
const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(projectRoot, 'resources');
const IDLE_CHECK_MS = 15_000;
const CLOSE_TIMEOUT_MS = 5_000;

let service: ClientService | undefined;
let win: BrowserWindow | undefined;
let tray: TrayController | undefined;
let quitting = false;
let rendererReady = false;
let makeWindow: ((hidden: boolean) => BrowserWindow) | undefined;
/** A link that came before the window could show it. */
let pendingLink: DeepLink | undefined = deepLinkInArgv(process.argv);

// One data folder for the app, the CLI and the web host (core/paths.ts); tests point it elsewhere.
if (process.env.WARBLER_HOME) app.setPath('userData', path.resolve(process.env.WARBLER_HOME));

if (!app.requestSingleInstanceLock()) {
  // The running Warbler gets our argv (and any warbler:// link in it) through 'second-instance'.
  app.quit();
} else {
  // The log first, so that whatever fails after this is in it; the first instance alone writes it.
  // Never rejects: where the folder cannot be used, the log goes to stderr.
  start(openLogFileOrStderr({ dir: path.join(app.getPath('userData'), LOGS_DIR), app: 'desktop' }));
}

function start(logging: Promise<LogFile>): void {
  // Windows ties notifications (and their clicks in the Action Center) to the installer's shortcut id.
  if (process.platform === 'win32') app.setAppUserModelId(app.isPackaged ? 'org.warbler.desktop' : process.execPath);
  registerAppScheme();
  // In development the executable is Electron itself: the link must name the app's folder too.
  if (process.defaultApp) app.setAsDefaultProtocolClient(PROTOCOL, process.execPath, [path.resolve(process.argv[1] ?? '.')]);
  else app.setAsDefaultProtocolClient(PROTOCOL);

  app.on('second-instance', (_event, argv) => {
    showWindow();
    const link = deepLinkInArgv(argv);
    if (link) void openLink(link);
  });
  // macOS hands links over with this event, also before 'ready'.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) void openLink(link);
  });
  app.on('activate', () => showWindow());

  app
    .whenReady()
    .then(() => logging)
    .then(async (logFile) => {
      // Anything that escapes, before Electron reports it its own way (the monitor changes nothing).
      process.on('uncaughtExceptionMonitor', (err, origin) => reportFatal(logFile, err, `uncaught (${origin})`));
      try {
        await ready(logFile);
      } catch (err) {
        reportFatal(logFile, err, 'could not start');
        app.exit(1);
      }
    })
    .catch((err: unknown) => {
      // Only when even the fallback logger failed: the terminal still hears why.
      process.stderr.write(`warbler: ${(err as Error).message}\n`);
      app.exit(1);
    });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Close the client (its database, its session), then quit for real: a
  // plain quit, not app.exit, so 'quit' still fires and a downloaded update installs.
  let closing = false;
  let closed = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closed || !service) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    void (async () => {
      // The service exists only once the log did: this is the log ready() was given.
      const log = (await logging).logger;
      tray?.destroy();
      // A stuck close must not keep Warbler from quitting.
      const giveUp = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS).unref());
      const finished = (service?.close() ?? Promise.resolve()).then(
        () => 'closed' as const,
        (err: unknown) => void log.warn({ err }, 'the client did not close cleanly'),
      );
      if ((await Promise.race([finished, giveUp])) === 'timeout') log.warn({ ms: CLOSE_TIMEOUT_MS }, 'quitting before the client closed');
      log.info('quitting');
      closed = true;
      app.quit();
    })();
  });
}

async function ready(logFile: LogFile): Promise<void> {
  const { logger } = logFile;
  logger.info({ version: app.getVersion(), electron: process.versions.electron, platform: process.platform, packaged: app.isPackaged }, 'starting');
  // The microphone for the app's own page (voice notes); every other permission refused.
  guardPermissions();
  serveRenderer(
    rendererDir,
    () => (service ? (id, range) => service!.openAttachment(id, range) : undefined),
    () => (service ? (id) => service!.openPushAttachment(id) : undefined),
  );
  const userData = app.getPath('userData');
  const settings = new SettingsStore(path.join(userData, SETTINGS_FILE));
  if (settings.problem) logger.warn({ problem: scrubText(settings.problem) }, 'the settings file had a problem');
  // The app never starts a relay: on a shared machine another person's app would register on it.
  // In development `npm start` runs one on 127.0.0.1:7878; a packaged app asks on its first-run screen.
  const serverUrl = app.isPackaged ? (process.env.WARBLER_SERVER ?? '') : defaultServerUrl();
  const svc = new ClientService({
    profileDir: path.join(userData, 'profile'),
    defaultServerUrl: serverUrl,
    settings,
    capabilities: { host: 'electron', tray: true, startAtLogin: true, systemIdle: true },
    // The OS keyring wraps the history key; a passphrase in the environment is for automation (tests, kiosks).
    keys: process.env.WARBLER_PASSPHRASE
      ? { kind: 'passphrase', passphrase: process.env.WARBLER_PASSPHRASE }
      : { kind: 'keyring', keyring: electronKeyring },
    logger,
    logs: {
      dir: logFile.dir,
      open: async (dir) => {
        // Electron answers with a reason, or '' when the file manager took it.
        const problem = await shell.openPath(dir);
        if (problem) throw new Error(problem);
      },
    },
  });
  service = svc;
  // Before the window exists: its first questions wait for the vault, not fail.
  const started = svc.start();

  const startedHidden = process.argv.includes(HIDDEN_FLAG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
  const windowState = new WindowStateKeeper(path.join(userData, 'window-state.json'));
  // macOS keeps the app running with no window; the dock icon makes a new one.
  makeWindow = (hidden: boolean) => {
    const window = createMainWindow({ preloadFile, state: windowState, hidden, icon: path.join(resourcesDir, 'icon.png') });
    window.on('close', (event) => {
      // Closing keeps Warbler in the tray (a setting); quitting from the tray or the OS really quits.
      if (!quitting && tray && settings.get().closeToTray) {
        event.preventDefault();
        window.hide();
      }
    });
    // Windows ends the session without 'before-quit': let the window close.
    window.on('session-end', () => {
      quitting = true;
    });
    win = window;
    return window;
  };
  makeWindow(startedHidden);
  bridgeIpc(svc, () => win, logger);
  // The renderer reports what is in view once its main screen is up: from then on it can show a link.
  svc.once('viewing', () => {
    rendererReady = true;
    const link = pendingLink;
    pendingLink = undefined;
    if (link) void openLink(link);
  });

  const trayDir = trayIconsDir({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath, projectRoot });
  const strings = shellStrings(app.getLocale());
  tray = new TrayController({ images: trayImages(trayDir), strings, window: () => win, onAction: (action) => trayAction(action, settings) });
  const sink = new ElectronNotificationSink();
  notifyFromService(
    svc,
    sink,
    (target) => {
      showWindow();
      openInRenderer(svc, target);
    },
    strings,
  );

  const render = () => tray?.update(svc.current?.unreadCounts() ?? { chat: 0, push: 0 }, settings.get());
  // The menu (and its Quit) from the start: some trays offer nothing else, and the vault may take a while.
  render();
  svc.on('event', (message) => {
    if (message.event === 'unread') render();
  });
  // The window's own parts (menus, scroll bars, the title bar where the OS draws it) take the app's theme.
  nativeTheme.themeSource = settings.get().appearance.theme;
  settings.on('change', (next) => {
    nativeTheme.themeSource = next.appearance.theme;
    applyLoginItem(next, logger);
    render();
  });
  // The tray's "do not disturb until 07:00" label follows the clock.
  setInterval(render, 60_000).unref();
  svc.on('client', () => render());

  const presence = new SystemIdlePresence({ idleSeconds: () => powerMonitor.getSystemIdleTime() }, (state) =>
    svc.current?.setPresence({ state }),
  );
  setInterval(() => presence.check(), IDLE_CHECK_MS).unref();
  // macOS and Windows only; on Linux away comes from the idle time alone.
  powerMonitor.on('lock-screen', () => presence.screenLocked());
  powerMonitor.on('unlock-screen', () => presence.screenUnlocked());
  powerMonitor.on('resume', () => svc.current?.reconnectNow());
  // Linux and macOS shutting down: close the client cleanly instead of being killed mid-write.
  // (The typings omit the event the docs describe: preventDefault() delays the shutdown.)
  powerMonitor.on('shutdown', ((event: Electron.Event) => {
    event.preventDefault();
    quitting = true;
    app.quit();
  }) as () => void);
  // A downloaded update restarting the app (macOS closes windows before 'before-quit').
  autoUpdater.on('before-quit-for-update', () => {
    quitting = true;
  });

  await started;
  render();
  // Off in development and wherever no update URL is configured (see README, Building installers).
  await startAutoUpdates({ log: logger }).catch((err: unknown) => logger.error({ err }, 'updates are off'));
}

function showWindow(): void {
  if (win && !win.isDestroyed()) focusWindow(win);
  else if (makeWindow && !quitting) focusWindow(makeWindow(false));
}

async function openLink(link: DeepLink): Promise<void> {
  const svc = service;
  if (!svc || !win || !rendererReady) {
    pendingLink = link;
    return;
  }
  showWindow();
  if (link.kind === 'push') return void svc.send('open-push', { id: link.id });
  // A direct chat may not exist yet: opening it creates it, as "Start chat" does.
  if (!link.conversationId.startsWith('#') && svc.current) {
    const opened = await svc.invoke('conversations:open', { username: link.conversationId });
    if (!opened.ok) return;
  }
  svc.send('open-conversation', { conversationId: link.conversationId });
}

function trayAction(action: TrayAction, settings: SettingsStore): void {
  const effect = trayActionEffect(action, settings.get(), new Date());
  if (effect === 'open') return showWindow();
  if (effect === 'quit') {
    quitting = true;
    return app.quit();
  }
  settings.update(effect);
}

/** macOS and Windows have a login item; Linux desktops read ~/.config/autostart. */
function applyLoginItem(settings: DesktopSettings, logger: Logger): void {
  try {
    if (process.platform === 'linux') {
      const executable = process.env.APPIMAGE ?? process.execPath;
      setLinuxAutostart(autostartDir(process.env, os.homedir()), settings.startAtLogin, executable, app.isPackaged ? [] : [app.getAppPath()]);
    } else {
      // Windows matches a login item by its path and args: set it the same way every time.
      app.setLoginItemSettings({ openAtLogin: settings.startAtLogin, args: [HIDDEN_FLAG] });
    }
  } catch (err) {
    logger.error({ err }, 'could not change "start at login"');
  }
}
