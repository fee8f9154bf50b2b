import { describe, expect, it } from 'vitest';
import { daysBetween, formatListTime, msUntilTomorrow } from './list-time.js';

// Local dates, so the tests mean the same in every time zone. The clock: Thursday 5 March 2026, 15:00.
const NOW = new Date(2026, 2, 5, 15, 0);
const at = (day: number, hour: number, minute = 0, month = 2, year = 2026) => new Date(year, month, day, hour, minute).getTime();
// ICU puts a narrow no-break space before AM/PM; the words matter here, not which space.
const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('formatListTime in English', () => {
  const en = (ms: number) => plain(formatListTime(ms, 'en', NOW));

  it('shows only the time for today, early or late', () => {
    expect(en(at(5, 9, 7))).toBe('9:07 AM');
    expect(en(at(5, 0, 0))).toBe('12:00 AM');
    expect(en(at(5, 14, 59))).toBe('2:59 PM');
  });

  it('says Yesterday for the day before, even just before midnight', () => {
    expect(en(at(4, 23, 59))).toBe('Yesterday');
    expect(en(at(4, 0, 1))).toBe('Yesterday');
  });

  it('names the weekday within the week', () => {
    expect(en(at(3, 12))).toBe('Tue');
    expect(en(at(27, 12, 0, 1))).toBe('Fri');
  });

  it('gives the date from a week back, with the year once it is another year', () => {
    expect(en(at(26, 12, 0, 1))).toBe('Feb 26');
    expect(en(at(31, 12, 0, 11, 2025))).toBe('12/31/2025');
  });

  it('takes a time a little ahead of this clock as today', () => {
    expect(en(at(5, 15, 2))).toBe('3:02 PM');
    expect(en(at(6, 9))).toBe('Mar 6');
  });
});

describe('formatListTime in Chinese', () => {
  const zh = (ms: number) => formatListTime(ms, 'zh-CN', NOW);

  it('uses the 24-hour time, 昨天, the weekday and the date as Chinese writes them', () => {
    expect(zh(at(5, 9, 7))).toBe('9:07');
    expect(zh(at(5, 14, 30))).toBe('14:30');
    expect(zh(at(4, 20))).toBe('昨天');
    expect(zh(at(3, 12))).toBe('周二');
    expect(zh(at(26, 12, 0, 1))).toBe('2月26日');
    expect(zh(at(31, 12, 0, 11, 2025))).toBe('2025/12/31');
  });
});

describe('days and midnight', () => {
  it('counts calendar days, not 24-hour spans', () => {
    expect(daysBetween(new Date(2026, 2, 4, 23, 59), new Date(2026, 2, 5, 0, 1))).toBe(1);
    expect(daysBetween(new Date(2026, 2, 5, 0, 1), new Date(2026, 2, 5, 23, 59))).toBe(0);
  });

  it('knows how long until the next midnight', () => {
    expect(msUntilTomorrow(NOW)).toBe(9 * 3_600_000);
  });
});
