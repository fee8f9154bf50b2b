import { describe, expect, it } from 'vitest';
import { AVATAR_COLOURS, avatarColour, initialsOf } from './avatar.js';

/** WCAG 2 contrast ratio of a #rrggbb colour against white. */
function contrastWithWhite(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return 1.05 / (luminance + 0.05);
}

describe('avatars', () => {
  it('take one or two initials by grapheme, whole for CJK and emoji', () => {
    expect(initialsOf('alice')).toBe('A');
    expect(initialsOf('bob_smith')).toBe('BS');
    expect(initialsOf('Climbing team')).toBe('CT');
    expect(initialsOf('张三')).toBe('张');
    expect(initialsOf('👩‍🚀 crew')).toBe('👩‍🚀C');
    expect(initialsOf('  ')).toBe('?');
  });

  it('colour a name the same way every time, from a palette white text reads on', () => {
    expect(avatarColour('alice')).toBe(avatarColour('alice'));
    const used = new Set(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'].map(avatarColour));
    expect(used.size).toBeGreaterThan(3);
    for (const colour of AVATAR_COLOURS) expect(contrastWithWhite(colour)).toBeGreaterThanOrEqual(4.5);
  });
});
