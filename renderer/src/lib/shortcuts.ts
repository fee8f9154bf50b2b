// The app's keyboard shortcuts, as the shortcuts sheet lists them and the shell's handler reads them.
// Ctrl on Windows and Linux, Cmd on macOS (as Signal and Telegram do).

export type ShellAction = 'chats' | 'notifications' | 'settings' | 'sheet';

/** The shell's own, by the key pressed with Ctrl/Cmd. */
export const SHELL_KEYS: Readonly<Record<string, ShellAction>> = { '1': 'chats', '2': 'notifications', ',': 'settings', '/': 'sheet' };

/** Every shortcut, in the sheet's order: the key with Ctrl/Cmd, and its text in locales (shell.shortcuts). */
export const SHORTCUTS = [
  { key: '1', text: 'chats' },
  { key: '2', text: 'notifications' },
  { key: 'K', text: 'searchAll' },
  { key: 'F', text: 'searchHere' },
  { key: ',', text: 'settings' },
  { key: '/', text: 'sheet' },
] as const;

export function isMac(): boolean {
  return /mac|iphone|ipad/i.test(navigator.platform);
}

/** "Ctrl+," or "⌘," as the keyboard in front of the person says it. */
export function shortcutLabel(key: string): string {
  return isMac() ? `⌘${key}` : `Ctrl+${key}`;
}

/**
 * The shell's action for a key press, or null. '/' is Shift plus another key on some layouts, so
 * Shift is let through for it; Alt never (AltGr is Ctrl+Alt on Windows).
 */
export function shellAction(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): ShellAction | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const action = SHELL_KEYS[event.key] ?? null;
  if (event.shiftKey && action !== 'sheet') return null;
  return action;
}
