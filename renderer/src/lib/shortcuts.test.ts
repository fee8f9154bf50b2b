import { describe, expect, it } from 'vitest';
import { shellAction, SHELL_KEYS, SHORTCUTS } from './shortcuts.js';

const press = (key: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shellAction', () => {
  it('reads Ctrl or Cmd with 1, 2, comma and slash', () => {
    expect(shellAction(press('1', { ctrlKey: true }))).toBe('chats');
    expect(shellAction(press('2', { metaKey: true }))).toBe('notifications');
    expect(shellAction(press(',', { ctrlKey: true }))).toBe('settings');
    expect(shellAction(press('/', { metaKey: true }))).toBe('sheet');
  });

  it('ignores the keys alone, with Alt (AltGr), and other keys', () => {
    expect(shellAction(press('1'))).toBeNull();
    expect(shellAction(press('1', { ctrlKey: true, altKey: true }))).toBeNull();
    expect(shellAction(press('k', { ctrlKey: true }))).toBeNull();
    expect(shellAction(press('3', { ctrlKey: true }))).toBeNull();
  });

  it('lets Shift through for the slash only, which some layouts type with it', () => {
    expect(shellAction(press('/', { ctrlKey: true, shiftKey: true }))).toBe('sheet');
    expect(shellAction(press('1', { ctrlKey: true, shiftKey: true }))).toBeNull();
  });

  it('lists every shell shortcut in the sheet', () => {
    const listed = new Set<string>(SHORTCUTS.map((s) => s.key));
    for (const key of Object.keys(SHELL_KEYS)) expect(listed.has(key)).toBe(true);
  });
});
