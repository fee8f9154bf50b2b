import { describe, expect, it } from 'vitest';
import { formatLinkCode, normalizeLinkCode } from './link-code.js';

const CODE = '123456789012345678';

describe('link codes', () => {
  it('shows 18 digits as six groups of 3, however they came', () => {
    expect(formatLinkCode(CODE)).toBe('123 456 789 012 345 678');
    expect(formatLinkCode('1234-5678 9012-345678')).toBe('123 456 789 012 345 678');
  });

  it('leaves anything else as it came, so a wrong value is not dressed up as a right one', () => {
    expect(formatLinkCode('12345678')).toBe('12345678');
    expect(formatLinkCode('12345678901234567a')).toBe('12345678901234567a');
  });

  it('accepts what a person may type and sends the bare digits', () => {
    expect(normalizeLinkCode(' 123 456 789 012 345 678 ')).toBe(CODE);
    expect(normalizeLinkCode('123-456-789-012-345-678')).toBe(CODE);
    expect(normalizeLinkCode(CODE)).toBe(CODE);
  });

  it('refuses anything that is not 18 digits', () => {
    expect(normalizeLinkCode('12345678')).toBeNull();
    expect(normalizeLinkCode('12345678901234567')).toBeNull();
    expect(normalizeLinkCode('1234567890123456789')).toBeNull();
    expect(normalizeLinkCode('123 456 789 012 345 67a')).toBeNull();
    expect(normalizeLinkCode('123.456.789.012.345.678')).toBeNull();
    expect(normalizeLinkCode('')).toBeNull();
  });
});
