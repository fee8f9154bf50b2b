import { describe, expect, it } from 'vitest';
import { formatSafetyNumber, safetyNumberGroups } from './safety-number.js';

const SIXTY = '123456789012345678901234567890123456789012345678901234567890';

describe('safety numbers as people read them', () => {
  it('shows 60 digits as 12 groups of 5, in order', () => {
    const groups = safetyNumberGroups(SIXTY);
    expect(groups).toHaveLength(12);
    expect(groups.every((g) => /^\d{5}$/.test(g))).toBe(true);
    expect(groups.join('')).toBe(SIXTY);
    expect(groups.slice(0, 3)).toEqual(['12345', '67890', '12345']);
  });

  it('puts one space between groups and none around them', () => {
    const text = formatSafetyNumber(SIXTY);
    expect(text).toMatch(/^\d{5}( \d{5}){11}$/);
    expect(text.replace(/ /g, '')).toBe(SIXTY);
  });

  it('reads an already grouped number the same way, and keeps a short tail', () => {
    expect(formatSafetyNumber(formatSafetyNumber(SIXTY))).toBe(formatSafetyNumber(SIXTY));
    expect(safetyNumberGroups('1234567')).toEqual(['12345', '67']);
    expect(safetyNumberGroups('')).toEqual([]);
  });
});
