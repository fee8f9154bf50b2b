import { describe, expect, it } from 'vitest';
import { formatRelativeTime, relativeTime } from './relative-time.js';

const NOW = 1_700_000_000;

describe('relative push times', () => {
  it('picks the unit that keeps the number small', () => {
    expect(relativeTime(NOW - 5, NOW)).toEqual({ value: 0, unit: 'second' });
    expect(relativeTime(NOW - 5 * 60, NOW)).toEqual({ value: -5, unit: 'minute' });
    expect(relativeTime(NOW - 3 * 3600 - 59, NOW)).toEqual({ value: -3, unit: 'hour' });
    expect(relativeTime(NOW - 2 * 86400, NOW)).toEqual({ value: -2, unit: 'day' });
    expect(relativeTime(NOW - 15 * 86400, NOW)).toEqual({ value: -2, unit: 'week' });
    expect(relativeTime(NOW - 65 * 86400, NOW)).toEqual({ value: -2, unit: 'month' });
    expect(relativeTime(NOW - 800 * 86400, NOW)).toEqual({ value: -2, unit: 'year' });
  });

  it('reads a time a little ahead of this clock as now', () => {
    expect(relativeTime(NOW + 30, NOW)).toEqual({ value: 0, unit: 'second' });
  });

  it('words it in the language asked for', () => {
    expect(formatRelativeTime(NOW - 5 * 60, NOW, 'en')).toBe('5 minutes ago');
    expect(formatRelativeTime(NOW, NOW, 'en')).toBe('now');
    expect(formatRelativeTime(NOW - 5 * 60, NOW, 'zh-CN')).toBe('5分钟前');
  });
});
