// The tray's menu and tooltip as data. Some Linux trays (appindicator) never deliver clicks on the
// icon, so everything the tray does is reachable from this menu.
import { dndActive, dndEndsAt, type DesktopSettings, type DesktopSettingsPatch } from '../shared/desktop-settings.js';
import type { UnreadCounts } from '../shared/ipc.js';
import { ENGLISH, type ShellStrings } from './strings.js';

export type TrayAction = 'open' | 'dnd-off' | 'dnd-1h' | 'dnd-morning' | 'dnd-on' | 'dnd-schedule' | 'quit';

export type TrayMenuItem =
  | { kind: 'action'; action: TrayAction; label: string; checked?: boolean; enabled?: boolean }
  | { kind: 'separator' }
  | { kind: 'submenu'; label: string; items: TrayMenuItem[] };

const HOUR = 3_600_000;
/** "Until turned off": a time that never comes. */
export const DND_FOREVER = Number.MAX_SAFE_INTEGER;

export function trayTooltip(unread: UnreadCounts, text: ShellStrings = ENGLISH): string {
  const parts = [
    unread.chat > 0 ? text.unreadMessages(unread.chat) : null,
    unread.push > 0 ? text.unreadNotifications(unread.push) : null,
  ].filter((part): part is string => part !== null);
  return text.tooltip(parts);
}

export function trayMenu(unread: UnreadCounts, settings: DesktopSettings, now: Date, text: ShellStrings = ENGLISH): TrayMenuItem[] {
  const quiet = dndActive(settings.dnd, now);
  const byHand = settings.dnd.until !== null && settings.dnd.until > now.getTime();
  const ends = dndEndsAt(settings.dnd, now);
  const total = unread.chat + unread.push;
  return [
    { kind: 'action', action: 'open', label: text.open(total) },
    { kind: 'separator' },
    {
      kind: 'submenu',
      label: quiet ? text.dndOnUntil(ends !== null ? clock(new Date(ends)) : null) : text.dnd,
      items: [
        { kind: 'action', action: 'dnd-off', label: text.dndOff, checked: !byHand, enabled: byHand },
        { kind: 'action', action: 'dnd-1h', label: text.dndHour },
        { kind: 'action', action: 'dnd-morning', label: text.dndUntil(clock(morningAfter(settings, now))) },
        { kind: 'action', action: 'dnd-on', label: text.dndForever, checked: settings.dnd.until === DND_FOREVER },
        { kind: 'separator' },
        {
          kind: 'action',
          action: 'dnd-schedule',
          label: text.dndNightly(settings.dnd.schedule.start, settings.dnd.schedule.end),
          checked: settings.dnd.schedule.enabled,
        },
      ],
    },
    { kind: 'separator' },
    { kind: 'action', action: 'quit', label: text.quit },
  ];
}

/** What a menu choice changes in the settings, or the lifecycle step it asks for. */
export function trayActionEffect(action: TrayAction, settings: DesktopSettings, now: Date): DesktopSettingsPatch | 'open' | 'quit' {
  switch (action) {
    case 'open':
    case 'quit':
      return action;
    case 'dnd-off':
      return { dnd: { until: null } };
    case 'dnd-1h':
      return { dnd: { until: now.getTime() + HOUR } };
    case 'dnd-morning':
      return { dnd: { until: morningAfter(settings, now).getTime() } };
    case 'dnd-on':
      return { dnd: { until: DND_FOREVER } };
    case 'dnd-schedule':
      return { dnd: { schedule: { enabled: !settings.dnd.schedule.enabled } } };
  }
}

/** The next time the schedule's morning comes (its end, 07:00 by default). */
function morningAfter(settings: DesktopSettings, now: Date): Date {
  const [h, m] = settings.dnd.schedule.end.split(':').map(Number) as [number, number];
  const next = new Date(now.getTime());
  next.setHours(h, m, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next;
}

function clock(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
