import { describe, expect, it } from 'vitest';
import { dayOf, formatDayHeading } from './day-heading.js';

// A Friday afternoon, local time.
const now = new Date(2026, 11, 4, 15, 30);
const at = (month: number, day: number, hour = 9, year = 2026) => new Date(year, month, day, hour).getTime();

describe('the line that opens a day', () => {
  it('says today, yesterday, the weekday within the week, then the date', () => {
    expect(formatDayHeading(at(11, 4), 'en', now)).toBe('Today');
    expect(formatDayHeading(at(11, 3, 23), 'en', now)).toBe('Yesterday');
    expect(formatDayHeading(at(11, 1), 'en', now)).toBe('Tuesday');
    expect(formatDayHeading(at(10, 20), 'en', now)).toBe('Friday, November 20');
    expect(formatDayHeading(at(11, 31, 9, 2025), 'en', now)).toBe('December 31, 2025');
  });

  it('says them in Chinese', () => {
    expect(formatDayHeading(at(11, 4), 'zh-CN', now)).toBe('今天');
    expect(formatDayHeading(at(11, 3), 'zh-CN', now)).toBe('昨天');
    expect(formatDayHeading(at(11, 1), 'zh-CN', now)).toBe('星期二');
    expect(formatDayHeading(at(10, 20), 'zh-CN', now)).toBe('11月20日星期五');
    expect(formatDayHeading(at(11, 31, 9, 2025), 'zh-CN', now)).toBe('2025年12月31日');
  });

  it('takes a moment a little ahead of this clock as today', () => {
    expect(formatDayHeading(now.getTime() + 60_000, 'en', now)).toBe('Today');
  });

  it('keys each local day once', () => {
    expect(dayOf(at(11, 4, 0))).toBe(dayOf(at(11, 4, 23)));
    expect(dayOf(at(11, 4, 23))).not.toBe(dayOf(at(11, 5, 0)));
  });
});
