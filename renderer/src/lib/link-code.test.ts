import { describe, expect, it } from 'vitest';
import { formatFingerprint, formatLinkCode, normalizeLinkCode } from './link-code.js';

describe('link codes', () => {
  it('shows 8 digits as two groups of 4', () => {
    expect(formatLinkCode('12345678')).toBe('1234 5678');
    expect(formatLinkCode('1234-5678')).toBe('1234 5678');
  });

  it('accepts what a person may type, and nothing that is not 8 digits', () => {
    expect(normalizeLinkCode(' 1234 5678 ')).toBe('12345678');
    expect(normalizeLinkCode('1234-5678')).toBe('12345678');
    expect(normalizeLinkCode('1234567')).toBeNull();
    expect(normalizeLinkCode('1234 567a')).toBeNull();
  });
});

describe('device fingerprints', () => {
  it('shows 12 digits as three groups of 4, grouped or not', () => {
    expect(formatFingerprint('123456789012')).toBe('1234 5678 9012');
    expect(formatFingerprint('1234 5678 9012')).toBe('1234 5678 9012');
  });

  it('leaves anything else as it came, so a wrong value is not dressed up as a right one', () => {
    expect(formatFingerprint('12345')).toBe('12345');
  });
});
