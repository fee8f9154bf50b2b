// How long a disappearing message lives, in the reader's language ("1 hour", "1小时"), and the
// choices the app offers (Signal's).
import { largestUnit } from '../../../shared/duration.js';

const DAY = 24 * 3600_000;

/** Off, then 30 s, 5 min, 1 h, 1 day, 1 week, 4 weeks. */
export const TIMER_CHOICES: readonly (number | null)[] = [null, 30_000, 5 * 60_000, 3600_000, DAY, 7 * DAY, 28 * DAY];

/** The largest unit that divides it, as Intl writes it in that language. */
export function timerText(ms: number, language: string): string {
  const { count, unit } = largestUnit(ms);
  return new Intl.NumberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(count);
}
