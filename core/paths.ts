// Where Warbler keeps its data when no folder is given: the same folder Electron's
// app.getPath('userData') uses for the product "Warbler", so the CLI, the web host and the app agree.
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:7878';
export const DEFAULT_WEB_PORT = 5180;

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.WARBLER_HOME) return path.resolve(env.WARBLER_HOME);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Warbler');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Warbler');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Warbler');
}

export function defaultProfileDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.WARBLER_PROFILE ? path.resolve(env.WARBLER_PROFILE) : path.join(userDataDir(env), 'profile');
}

export function defaultRelayDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userDataDir(env), 'relay');
}

export function defaultServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.WARBLER_SERVER ?? DEFAULT_SERVER_URL;
}
