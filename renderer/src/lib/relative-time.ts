// "5 minutes ago" for a push's time: the unit that keeps the number small, as Intl words it.

export interface RelativeTime {
  value: number;
  unit: Intl.RelativeTimeFormatUnit;
}

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

/** From seconds to seconds: under a minute reads as "now" (value 0), the future too (clocks differ). */
export function relativeTime(thenSeconds: number, nowSeconds: number): RelativeTime {
  const ago = Math.max(0, Math.floor(nowSeconds - thenSeconds));
  if (ago < MINUTE) return { value: 0, unit: 'second' };
  if (ago < HOUR) return { value: -Math.floor(ago / MINUTE), unit: 'minute' };
  if (ago < DAY) return { value: -Math.floor(ago / HOUR), unit: 'hour' };
  if (ago < WEEK) return { value: -Math.floor(ago / DAY), unit: 'day' };
  if (ago < MONTH) return { value: -Math.floor(ago / WEEK), unit: 'week' };
  if (ago < YEAR) return { value: -Math.floor(ago / MONTH), unit: 'month' };
  return { value: -Math.floor(ago / YEAR), unit: 'year' };
}

const formatters = new Map<string, Intl.RelativeTimeFormat>();

export function formatRelativeTime(thenSeconds: number, nowSeconds: number, language: string): string {
  let format = formatters.get(language);
  if (!format) {
    format = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
    formatters.set(language, format);
  }
  const { value, unit } = relativeTime(thenSeconds, nowSeconds);
  return format.format(value, unit);
}
