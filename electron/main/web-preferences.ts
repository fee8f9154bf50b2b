// What every window of the app runs with, whatever it shows: no Node, a sandboxed and isolated
// page, web security on, no webviews. A window adds only what it needs (a preload, plugins).
import type { WebPreferences } from 'electron';

export const LOCKED_DOWN: WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
};
