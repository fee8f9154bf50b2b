import { describe, expect, it } from 'vitest';
import { nextRow } from './list-keys.js';

// Five rows; b and d are unread.
const rows = ['a', 'b', 'c', 'd', 'e'];
const unread = (row: string) => row === 'b' || row === 'd';
const go = (from: string, key: string, alt = false) => nextRow(rows, from, key, alt, unread);

describe('nextRow', () => {
  it('moves one row with the arrows and stops at either end', () => {
    expect(go('a', 'ArrowDown')).toBe('b');
    expect(go('c', 'ArrowUp')).toBe('b');
    expect(go('a', 'ArrowUp')).toBeNull();
    expect(go('e', 'ArrowDown')).toBeNull();
  });

  it('jumps to the next or previous unread row with Alt, and nowhere when there is none', () => {
    expect(go('a', 'ArrowDown', true)).toBe('b');
    expect(go('b', 'ArrowDown', true)).toBe('d');
    expect(go('e', 'ArrowUp', true)).toBe('d');
    expect(go('d', 'ArrowDown', true)).toBeNull();
    expect(go('a', 'ArrowUp', true)).toBeNull();
  });

  it('goes to the first and last rows with Home and End; other keys are not the list’s', () => {
    expect(go('c', 'Home')).toBe('a');
    expect(go('c', 'End')).toBe('e');
    expect(go('c', 'Enter')).toBeNull();
    expect(go('c', 'ArrowLeft')).toBeNull();
    expect(go('z', 'ArrowDown')).toBeNull();
  });
});
