// Auto-update of the packaged app with electron-updater (the only module that loads it): looks at
// start and every few hours, downloads in the background, installs when the app quits (or at
// once, if the person asks). Whether and where to look is decided in desktop/update-config.ts.
import fs from 'node:fs';
import path from 'node:path';
import { app } from 'electron';
import type { Logger } from 'pino';
import { scrubText } from '../../core/log-redact.js';
import { FEED_FILE, feedFileText, planUpdates, readUpdateInputs, type UpdateSource } from '../../desktop/update-config.js';

const SIX_HOURS = 6 * 3_600_000;

export interface AutoUpdateOptions {
  /** How often to look again after the first check. */
  checkEveryMs?: number;
  /** A new version is downloaded and will be installed when the app quits (or on installNow()). */
  onUpdateReady?: (version: string) => void;
  /** The app's log: off and why, the feed, failures. */
  log: Logger;
}

export interface AutoUpdates {
  readonly url: string;
  readonly source: UpdateSource;
  checkNow(): Promise<void>;
  /** Quits and installs the downloaded update; does nothing until one is ready. */
  installNow(): void;
  stop(): void;
}

/** Starts updates when the app is packaged and an update URL is configured; null otherwise. */
export async function startAutoUpdates(options: AutoUpdateOptions): Promise<AutoUpdates | null> {
  const { log } = options;
  const userDataDir = app.getPath('userData');
  const plan = planUpdates(
    readUpdateInputs({ packaged: app.isPackaged, userDataDir, resourcesDir: process.resourcesPath, env: process.env }),
  );
  if (!plan.enabled) {
    log.info({ reason: scrubText(plan.reason) }, 'updates off');
    return null;
  }

  const feedFile = path.join(userDataDir, FEED_FILE);
  fs.mkdirSync(path.dirname(feedFile), { recursive: true });
  fs.writeFileSync(feedFile, feedFileText(plan));

  // Loaded only here, so development runs and apps with updates off never load it.
  const { autoUpdater } = (await import('electron-updater')).default;
  // electron-updater's lines may quote URLs and server answers: scrubbed like an error's message.
  autoUpdater.logger = {
    info: () => undefined,
    warn: (message: unknown) => log.warn({ detail: scrubText(String(message)) }, 'updates'),
    error: (message: unknown) => log.error({ detail: scrubText(String(message)) }, 'updates'),
  };
  autoUpdater.updateConfigPath = feedFile;
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.allowDowngrade = false;

  let ready = false;
  const onDownloaded = (info: { version: string }) => {
    ready = true;
    log.info({ version: info.version }, 'update downloaded; it is installed when Warbler quits');
    options.onUpdateReady?.(info.version);
  };
  const onError = (err: Error) => log.warn({ err }, 'update failed');
  autoUpdater.on('update-downloaded', onDownloaded);
  autoUpdater.on('error', onError);

  const checkNow = async () => {
    // Failures are reported through 'error' as well; a failed check just waits for the next one.
    await autoUpdater.checkForUpdates().catch(() => undefined);
  };
  log.info({ feed: scrubText(plan.url), source: plan.source }, 'looking for updates');
  void checkNow();
  const timer = setInterval(() => void checkNow(), options.checkEveryMs ?? SIX_HOURS);
  timer.unref();

  return {
    url: plan.url,
    source: plan.source,
    checkNow,
    installNow: () => {
      if (ready) autoUpdater.quitAndInstall();
    },
    stop: () => {
      clearInterval(timer);
      autoUpdater.off('update-downloaded', onDownloaded);
      autoUpdater.off('error', onError);
    },
  };
}
