import { describe, expect, it } from 'vitest';
import { applySettingsPatch, DEFAULT_DESKTOP_SETTINGS, DesktopSettings, DesktopSettingsPatch, dndActive, dndEndsAt, LIST_WIDTH } from './desktop-settings.js';

const dnd = (schedule: Partial<typeof DEFAULT_DESKTOP_SETTINGS.dnd.schedule>, until: number | null = null) => ({
  ...DEFAULT_DESKTOP_SETTINGS.dnd,
  until,
  schedule: { ...DEFAULT_DESKTOP_SETTINGS.dnd.schedule, enabled: true, ...schedule },
});
// 2026-11-26 is a Thursday (4).
const at = (day: number, h: number, m = 0) => new Date(2026, 10, day, h, m);

describe('do-not-disturb schedule', () => {
  it('an overnight period covers the evening and the next morning', () => {
    const night = dnd({ start: '22:00', end: '07:00' });
    expect(dndActive(night, at(26, 21, 59))).toBe(false);
    expect(dndActive(night, at(26, 22, 0))).toBe(true);
    expect(dndActive(night, at(27, 6, 59))).toBe(true);
    expect(dndActive(night, at(27, 7, 0))).toBe(false);
  });

  it('the morning part belongs to the day the period started', () => {
    const weeknights = dnd({ start: '22:00', end: '07:00', days: [1, 2, 3, 4, 5] });
    expect(dndActive(weeknights, at(28, 23))).toBe(false); // Saturday night: no
    expect(dndActive(weeknights, at(28, 3))).toBe(true); // Saturday 03:00 ends Friday's night
    expect(dndActive(weeknights, at(29, 3))).toBe(false); // Sunday 03:00: Saturday had none
  });

  it('a daytime period, by hand, and off', () => {
    expect(dndActive(dnd({ start: '09:00', end: '17:00' }), at(26, 12))).toBe(true);
    expect(dndActive(dnd({ start: '09:00', end: '17:00' }), at(26, 17))).toBe(false);
    expect(dndActive(dnd({ enabled: false }), at(26, 23))).toBe(false);
    expect(dndActive({ ...dnd({ enabled: false }), until: at(26, 13).getTime() }, at(26, 12))).toBe(true);
  });

  it('knows when the quiet ends', () => {
    expect(dndEndsAt(dnd({ start: '22:00', end: '07:00' }), at(26, 23, 15))).toBe(at(27, 7).getTime());
    expect(dndEndsAt(dnd({ start: '22:00', end: '07:00' }), at(26, 12))).toBeNull();
  });
});

describe('settings changes', () => {
  it('merges a partial change and refuses unknown or invalid parts', () => {
    const next = applySettingsPatch(DEFAULT_DESKTOP_SETTINGS, { dnd: { schedule: { start: '23:30' } } });
    expect(next.dnd.schedule).toEqual({ ...DEFAULT_DESKTOP_SETTINGS.dnd.schedule, start: '23:30' });
    expect(DesktopSettingsPatch.safeParse({ dnd: { schedule: { start: '25:00' } } }).success).toBe(false);
    expect(DesktopSettingsPatch.safeParse({ closeToTary: true }).success).toBe(false);
  });

  it('keeps the list width dragged to, within its bounds; a file from before has none', () => {
    expect(applySettingsPatch(DEFAULT_DESKTOP_SETTINGS, { listWidth: 320 }).listWidth).toBe(320);
    expect(applySettingsPatch({ ...DEFAULT_DESKTOP_SETTINGS, listWidth: 320 }, { listWidth: null }).listWidth).toBeNull();
    expect(DesktopSettingsPatch.safeParse({ listWidth: LIST_WIDTH.max + 1 }).success).toBe(false);
    expect(DesktopSettingsPatch.safeParse({ listWidth: 300.5 }).success).toBe(false);
    const { listWidth: _none, ...before } = DEFAULT_DESKTOP_SETTINGS;
    expect(DesktopSettings.parse(before).listWidth).toBeNull();
  });

  it('lets Enter send by default; a file from before sends with Enter as it did', () => {
    expect(applySettingsPatch(DEFAULT_DESKTOP_SETTINGS, { enterSends: false }).enterSends).toBe(false);
    expect(DesktopSettingsPatch.safeParse({ enterSends: 'yes' }).success).toBe(false);
    const { enterSends: _none, ...before } = DEFAULT_DESKTOP_SETTINGS;
    expect(DesktopSettings.parse(before).enterSends).toBe(true);
  });
});
