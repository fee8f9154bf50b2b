// What an event line says, in the reader's language: a group's membership change ("alice added
// carol") or a change of the disappearing-messages timer. The conversation log and the conversation
// list's preview say it alike; the text core stores with the line is English only.
import type { i18n as I18n } from 'i18next';
import type { GroupEvent, TimerChange } from '../../../shared/ipc.js';
import { timerText } from './timer-text.js';
import { formatNameList } from './usernames.js';

/** What these texts need of i18next: its `t`, and the language names and durations are written in. */
export type EventI18n = Pick<I18n, 't' | 'language'>;

/** `me`: this account, named "You"/"you" rather than by its username. */
export function groupEventText(i18n: EventI18n, event: GroupEvent, me: string | undefined): string {
  const { t } = i18n;
  const actor = event.actor === me ? t('events.you') : event.actor;
  const subjects = formatNameList(
    event.subjects.map((u) => (u === me ? t('events.youObject') : u)),
    i18n.language,
  );
  const vars = { actor, subjects, name: event.name };
  switch (event.action) {
    case 'create':
      return t('events.create', vars);
    case 'add':
      return t('events.add', vars);
    case 'remove':
      return t('events.remove', vars);
    case 'leave':
      return t('events.leave', vars);
    case 'rename':
      return t('events.rename', vars);
  }
}

export function timerChangeText(i18n: EventI18n, change: TimerChange, me: string | undefined): string {
  const { t } = i18n;
  const actor = change.actor === me ? t('events.you') : change.actor;
  return change.expiresIn === null ? t('disappearing.turnedOff', { actor }) : t('disappearing.set', { actor, duration: timerText(change.expiresIn, i18n.language) });
}

/** The line's text when it is an event line with its structured data; null for anything else. */
export function eventLineText(i18n: EventI18n, line: { event?: GroupEvent | null; timerChange?: TimerChange }, me: string | undefined): string | null {
  if (line.event) return groupEventText(i18n, line.event, me);
  if (line.timerChange) return timerChangeText(i18n, line.timerChange, me);
  return null;
}
