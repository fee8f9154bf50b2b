import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_DESKTOP_SETTINGS, dndActive } from '../shared/desktop-settings.js';
import { DND_FOREVER, trayActionEffect, trayMenu, trayTooltip, type TrayMenuItem } from './tray-menu.js';

const now = new Date(2026, 10, 26, 20, 0);
const labels = (items: TrayMenuItem[]): unknown[] =>
  items.map((i) => (i.kind === 'submenu' ? [i.label, labels(i.items)] : i.kind === 'action' ? i.label : '-'));

describe('tray', () => {
  it('tooltip counts chats and pushes', () => {
    expect(trayTooltip({ chat: 0, push: 0 })).toBe('Warbler');
    expect(trayTooltip({ chat: 1, push: 3 })).toBe('Warbler — 1 unread message, 3 unread notifications');
  });

  it('menu: open, do not disturb, quit', () => {
    expect(labels(trayMenu({ chat: 2, push: 1 }, DEFAULT_DESKTOP_SETTINGS, now))).toEqual([
      'Open Warbler (3 unread)',
      '-',
      ['Do not disturb', ['Off', 'For 1 hour', 'Until 07:00', 'Until I turn it off', '-', 'Every night 22:00–07:00']],
      '-',
      'Quit Warbler',
    ]);
  });

  it('menu choices switch do not disturb on and off', () => {
    let settings = DEFAULT_DESKTOP_SETTINGS;
    const choose = (action: Parameters<typeof trayActionEffect>[0]) => {
      const effect = trayActionEffect(action, settings, now);
      if (typeof effect === 'string') return effect;
      settings = applySettingsPatch(settings, effect);
      return settings;
    };
    choose('dnd-1h');
    expect(dndActive(settings.dnd, new Date(now.getTime() + 59 * 60_000))).toBe(true);
    expect(dndActive(settings.dnd, new Date(now.getTime() + 61 * 60_000))).toBe(false);
    const menu = trayMenu({ chat: 0, push: 0 }, settings, now);
    expect(menu[2]).toMatchObject({ kind: 'submenu', label: 'Do not disturb: on until 21:00' });
    choose('dnd-morning');
    expect(settings.dnd.until).toBe(new Date(2026, 10, 27, 7, 0).getTime());
    choose('dnd-on');
    expect(settings.dnd.until).toBe(DND_FOREVER);
    expect(trayMenu({ chat: 0, push: 0 }, settings, now)[2]).toMatchObject({ label: 'Do not disturb: on' });
    choose('dnd-off');
    expect(dndActive(settings.dnd, now)).toBe(false);
    choose('dnd-schedule');
    expect(settings.dnd.schedule.enabled).toBe(true);
    expect(choose('quit')).toBe('quit');
    expect(choose('open')).toBe('open');
  });
});
