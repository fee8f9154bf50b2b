// The times of day a do-not-disturb schedule offers, written as the UI's language writes a time
// ("10:00 PM", "22:00"): a native time field follows the system's locale instead of the app's.
import { dateFormat } from './date-format.js';

/** Between two offered times. */
export const TIME_STEP_MINUTES = 15;

export interface TimeOption {
  /** "HH:MM", as the settings keep it. */
  value: string;
  label: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Every step of the day, plus `kept` (a time set elsewhere, off the steps), in order. */
export function timeOptions(language: string, kept: readonly string[]): TimeOption[] {
  const values = new Set<string>();
  for (let minutes = 0; minutes < 24 * 60; minutes += TIME_STEP_MINUTES) values.add(`${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`);
  for (const value of kept) if (/^([01]\d|2[0-3]):[0-5]\d$/.test(value)) values.add(value);
  const format = dateFormat(language, { hour: 'numeric', minute: '2-digit' });
  return [...values].sort().map((value) => {
    const [hours, minutes] = value.split(':').map(Number) as [number, number];
    return { value, label: format.format(new Date(2000, 0, 1, hours, minutes)) };
  });
}
