// "Start at login" on Linux: Electron's login item API covers only macOS and Windows; desktops
// that follow the XDG autostart spec start what ~/.config/autostart holds.
import fs from 'node:fs';
import path from 'node:path';

export const AUTOSTART_FILE = 'warbler.desktop';
/** Started by the login item: stay in the tray instead of opening the window. */
export const HIDDEN_FLAG = '--hidden';

export function autostartDir(env: NodeJS.ProcessEnv, home: string): string {
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'autostart');
}

/** A desktop entry Exec value: arguments with spaces or specials quoted as the spec says. */
function execArg(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `"${arg.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}

export function autostartEntry(executable: string, args: readonly string[] = []): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Warbler',
    'Comment=Secure messenger and notification center',
    `Exec=${[executable, ...args, HIDDEN_FLAG].map(execArg).join(' ')}`,
    'Icon=warbler',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function setLinuxAutostart(dir: string, enabled: boolean, executable: string, args: readonly string[] = []): void {
  const file = path.join(dir, AUTOSTART_FILE);
  if (!enabled) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, autostartEntry(executable, args));
}

export function linuxAutostartEnabled(dir: string): boolean {
  return fs.existsSync(path.join(dir, AUTOSTART_FILE));
}
