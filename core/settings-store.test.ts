import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DESKTOP_SETTINGS } from '../shared/desktop-settings.js';
import { SettingsStore } from './settings-store.js';

const tmp = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-settings-')), 'settings.json');

describe('the settings file', () => {
  it('starts from defaults and keeps changes across restarts', () => {
    const file = tmp();
    const store = new SettingsStore(file);
    expect(store.get()).toEqual(DEFAULT_DESKTOP_SETTINGS);
    store.update({ closeToTray: false, dnd: { schedule: { enabled: true } } });
    const again = new SettingsStore(file);
    expect(again.get().closeToTray).toBe(false);
    expect(again.get().dnd.schedule.enabled).toBe(true);
    expect(again.problem).toBeUndefined();
  });

  it('refuses an invalid change and keeps what it had', () => {
    const store = new SettingsStore(tmp());
    expect(() => store.update({ notifications: { content: 'everything' } })).toThrow(/content/);
    expect(store.get()).toEqual(DEFAULT_DESKTOP_SETTINGS);
  });

  it('a damaged file keeps its valid parts and is kept aside', () => {
    const file = tmp();
    fs.writeFileSync(file, JSON.stringify({ closeToTray: false, startAtLogin: 'yes', dnd: { allowMax: false, schedule: { start: '99:00', end: '06:30' } } }));
    const store = new SettingsStore(file);
    expect(store.get().closeToTray).toBe(false);
    expect(store.get().startAtLogin).toBe(false);
    expect(store.get().dnd.allowMax).toBe(false);
    expect(store.get().dnd.schedule.start).toBe('22:00');
    expect(store.get().dnd.schedule.end).toBe('06:30');
    expect(store.problem).toMatch(/kept as .*settings\.json\.bad/);
    expect(fs.readFileSync(`${file}.bad`, 'utf8')).toContain('99:00');
  });

  it('keeps the theme and language chosen, and a file from before them loads as it was', () => {
    const file = tmp();
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_DESKTOP_SETTINGS, appearance: undefined, closeToTray: false }));
    const store = new SettingsStore(file);
    expect(store.problem).toBeUndefined();
    expect(store.get().closeToTray).toBe(false);
    expect(store.get().appearance).toEqual({ theme: 'system', language: 'system' });
    store.update({ appearance: { theme: 'dark' } });
    store.update({ appearance: { language: 'zh-CN' } });
    expect(new SettingsStore(file).get().appearance).toEqual({ theme: 'dark', language: 'zh-CN' });
    expect(() => store.update({ appearance: { theme: 'sepia' } })).toThrow(/theme/);
  });

  it('an unknown theme in the file resets the theme alone', () => {
    const file = tmp();
    fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_DESKTOP_SETTINGS, appearance: { theme: 'sepia', language: 'zh-CN' } }));
    const store = new SettingsStore(file);
    expect(store.get().appearance).toEqual({ theme: 'system', language: 'zh-CN' });
    expect(store.problem).toMatch(/theme/);
  });

  it('a file that is not JSON falls back to defaults', () => {
    const file = tmp();
    fs.writeFileSync(file, '{ not json');
    const store = new SettingsStore(file);
    expect(store.get()).toEqual(DEFAULT_DESKTOP_SETTINGS);
    expect(store.problem).toMatch(/not JSON/);
  });
});
