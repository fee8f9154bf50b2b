import { describe, expect, it } from 'vitest';
import { en } from '../locales/en.js';
import { zhCN } from '../locales/zh-CN.js';
import { priorityIcon, priorityLabelKey, priorityLevel } from './push-priority.js';

describe('push priorities', () => {
  it('names the five levels as ntfy does', () => {
    expect([1, 2, 3, 4, 5].map(priorityLevel)).toEqual(['min', 'low', 'default', 'high', 'max']);
  });

  it('reads numbers outside 1–5 as the nearest level, and nonsense as default', () => {
    expect(priorityLevel(0)).toBe('min');
    expect(priorityLevel(9)).toBe('max');
    expect(priorityLevel(Number.NaN)).toBe('default');
  });

  it('marks all but the default, low ones apart from high ones', () => {
    expect(priorityIcon('default')).toBeNull();
    expect(priorityIcon('min')).toBe(priorityIcon('low'));
    expect(new Set([priorityIcon('low'), priorityIcon('high'), priorityIcon('max')]).size).toBe(3);
  });

  it('has words for every level in every language', () => {
    for (const level of ['min', 'low', 'default', 'high', 'max'] as const) {
      const [, , key] = priorityLabelKey(level).split('.') as [string, string, typeof level];
      expect(en.push.priority[key]).not.toBe('');
      expect(zhCN.push.priority[key]).not.toBe('');
    }
  });
});
