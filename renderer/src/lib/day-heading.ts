// The line that opens each day in a conversation, as messengers word it: "Today", "Yesterday", the
// weekday within the week, the date after that (with the year once it is another year's).
import { dateFormat, relativeDay } from './date-format.js';
import { daysBetween } from './list-time.js';

type Kind = 'weekday' | 'date' | 'fullDate';

const OPTIONS: Record<Kind, Intl.DateTimeFormatOptions> = {
  weekday: { weekday: 'long' },
  date: { weekday: 'long', month: 'long', day: 'numeric' },
  fullDate: { year: 'numeric', month: 'long', day: 'numeric' },
};

const format = (language: string, kind: Kind) => dateFormat(language, OPTIONS[kind]);

export function formatDayHeading(ms: number, language: string, now: Date): string {
  const then = new Date(ms);
  const days = daysBetween(then, now);
  // A time a little ahead of this clock (another device's) is today's.
  if (days <= 0 && days > -1) return relativeDay(language, 0);
  if (days === 1) return relativeDay(language, 1);
  if (days > 1 && days < 7) return format(language, 'weekday').format(then);
  return format(language, then.getFullYear() === now.getFullYear() ? 'date' : 'fullDate').format(then);
}

/** The local calendar day of a moment, as a key: the same for every moment of that day. */
export function dayOf(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}
