// The time beside a conversation in the list, as messengers word it: today's time, "Yesterday", the
// weekday within the week, the date after that (with the year once it is another year's).
import { dateFormat, relativeDay } from './date-format.js';

type Kind = 'time' | 'weekday' | 'date' | 'fullDate';

const OPTIONS: Record<Kind, Intl.DateTimeFormatOptions> = {
  time: { hour: 'numeric', minute: '2-digit' },
  weekday: { weekday: 'short' },
  date: { month: 'short', day: 'numeric' },
  fullDate: { year: 'numeric', month: 'numeric', day: 'numeric' },
};

const format = (language: string, kind: Kind) => dateFormat(language, OPTIONS[kind]);

/** Whole calendar days from `then` to `now`, in local time (a day across a clock change is still one). */
export function daysBetween(then: Date, now: Date): number {
  const start = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  return Math.round((start(now) - start(then)) / 86_400_000);
}

export function formatListTime(ms: number, language: string, now: Date): string {
  const then = new Date(ms);
  const days = daysBetween(then, now);
  // A time a little ahead of this clock (another device's) reads as today's.
  if (days <= 0 && days > -1) return format(language, 'time').format(then);
  if (days === 1) return relativeDay(language, 1);
  if (days > 1 && days < 7) return format(language, 'weekday').format(then);
  return format(language, then.getFullYear() === now.getFullYear() ? 'date' : 'fullDate').format(then);
}

/** The milliseconds until the next local midnight, when "today" and "Yesterday" move on. */
export function msUntilTomorrow(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).getTime() - now.getTime();
}
