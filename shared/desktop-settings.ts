// The desktop shell's settings: window and tray behaviour, OS notifications, do not disturb.
// One schema for the file they are kept in, the IPC that changes them, and the settings screen.
import { z } from 'zod';

/** Local wall-clock time of day, "HH:MM" (24 h). */
export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day is HH:MM (00:00–23:59)');

/** What an OS notification may show: lock screens and shared screens are seen by others. */
export const NotificationContent = z.enum(['name-and-message', 'name-only', 'nothing']);
export type NotificationContent = z.infer<typeof NotificationContent>;

export const DndSchedule = z.object({
  enabled: z.boolean(),
  /** Quiet from `start` to `end`; an end before the start means the next morning. */
  start: TimeOfDay,
  end: TimeOfDay,
  /** Days (0 Sunday … 6 Saturday) on which a quiet period starts. */
  days: z.array(z.number().int().min(0).max(6)).max(7),
});
export type DndSchedule = z.infer<typeof DndSchedule>;

/** The colours: the system's choice (followed live), or always light or dark. */
export const ThemeChoice = z.enum(['system', 'light', 'dark']);
export type ThemeChoice = z.infer<typeof ThemeChoice>;

/** The UI's language: the system's (the browser's languages), or one the app has. */
export const LanguageChoice = z.enum(['system', 'en', 'zh-CN']);
export type LanguageChoice = z.infer<typeof LanguageChoice>;

export const Appearance = z.object({ theme: ThemeChoice, language: LanguageChoice });
export type Appearance = z.infer<typeof Appearance>;

export const DEFAULT_APPEARANCE: Appearance = { theme: 'system', language: 'system' };

/** How wide (px) the conversation list may be dragged; null: as wide as the window's layout makes it. */
export const LIST_WIDTH = { min: 240, max: 560 } as const;
const ListWidth = z.number().int().min(LIST_WIDTH.min).max(LIST_WIDTH.max).nullable();

export const DesktopSettings = z.object({
  /** Closing the window keeps Warbler running in the tray. */
  closeToTray: z.boolean(),
  startAtLogin: z.boolean(),
  notifications: z.object({
    enabled: z.boolean(),
    content: NotificationContent,
  }),
  dnd: z.object({
    /** Quiet until this time (ms since the epoch); null when not switched on by hand. */
    until: z.number().int().nonnegative().nullable(),
    schedule: DndSchedule,
    /** Pushes of priority 5 (max/urgent) still notify while quiet. */
    allowMax: z.boolean(),
  }),
  /** A file written before these existed has none: the system's choices, as before. */
  appearance: Appearance.default(DEFAULT_APPEARANCE),
  listWidth: ListWidth.default(null),
  /** Enter sends and Shift+Enter starts a new line; when off, Enter starts a new line and Ctrl/Cmd+Enter sends. */
  enterSends: z.boolean().default(true),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;

export const DEFAULT_DESKTOP_SETTINGS: DesktopSettings = {
  closeToTray: true,
  startAtLogin: false,
  notifications: { enabled: true, content: 'name-and-message' },
  dnd: {
    until: null,
    schedule: { enabled: false, start: '22:00', end: '07:00', days: [0, 1, 2, 3, 4, 5, 6] },
    allowMax: true,
  },
  appearance: DEFAULT_APPEARANCE,
  listWidth: null,
  enterSends: true,
};

/** A change to some settings: every part optional, nothing unknown. */
export const DesktopSettingsPatch = z
  .object({
    closeToTray: z.boolean(),
    startAtLogin: z.boolean(),
    notifications: z.object({ enabled: z.boolean(), content: NotificationContent }).partial().strict(),
    dnd: z
      .object({ until: z.number().int().nonnegative().nullable(), schedule: DndSchedule.partial().strict(), allowMax: z.boolean() })
      .partial()
      .strict(),
    appearance: Appearance.partial().strict(),
    listWidth: ListWidth,
    enterSends: z.boolean(),
  })
  .partial()
  .strict();
export type DesktopSettingsPatch = z.infer<typeof DesktopSettingsPatch>;

export function applySettingsPatch(current: DesktopSettings, patch: DesktopSettingsPatch): DesktopSettings {
  return DesktopSettings.parse({
    ...current,
    ...patch,
    notifications: { ...current.notifications, ...patch.notifications },
    dnd: {
      ...current.dnd,
      ...patch.dnd,
      schedule: { ...current.dnd.schedule, ...patch.dnd?.schedule },
    },
    appearance: { ...current.appearance, ...patch.appearance },
  });
}

/** What the host running the app can do: the web host has no tray and no login item. */
export const ShellCapabilities = z.object({
  host: z.enum(['electron', 'web']),
  tray: z.boolean(),
  startAtLogin: z.boolean(),
  /** Presence follows the whole system's idle time, not only input in the window. */
  systemIdle: z.boolean(),
});
export type ShellCapabilities = z.infer<typeof ShellCapabilities>;

const MINUTE = 60_000;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/** Whether do-not-disturb is on at `now` (local time of the machine), by hand or by the schedule. */
export function dndActive(dnd: DesktopSettings['dnd'], now: Date): boolean {
  if (dnd.until !== null && dnd.until > now.getTime()) return true;
  const { schedule } = dnd;
  if (!schedule.enabled) return false;
  const start = minutesOf(schedule.start);
  const end = minutesOf(schedule.end);
  if (start === end) return false;
  const minute = now.getHours() * 60 + now.getMinutes();
  const day = now.getDay();
  if (start < end) return schedule.days.includes(day) && minute >= start && minute < end;
  // Overnight: the evening part belongs to today, the morning part to the period that began yesterday.
  if (minute >= start) return schedule.days.includes(day);
  return minute < end && schedule.days.includes((day + 6) % 7);
}

/** When the current quiet period ends, for "quiet until 07:00" in the tray; null when not quiet. */
export function dndEndsAt(dnd: DesktopSettings['dnd'], now: Date): number | null {
  if (!dndActive(dnd, now)) return null;
  // Walk forward a minute at a time (at most a week): exact across DST changes and overlapping rules.
  const t = new Date(now.getTime());
  t.setSeconds(0, 0);
  for (let i = 0; i < 7 * 24 * 60; i++) {
    t.setTime(t.getTime() + MINUTE);
    if (!dndActive(dnd, t)) return t.getTime();
  }
  return null;
}
