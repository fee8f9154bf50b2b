import { describe, expect, it } from 'vitest';
import { splitTags, tagEmoji } from './push-tags.js';

describe('push tags', () => {
  it('shows the common ntfy short codes as emoji', () => {
    expect(tagEmoji('warning')).toBe('⚠️');
    expect(tagEmoji('skull')).toBe('💀');
    expect(tagEmoji('tada')).toBe('🎉');
    expect(tagEmoji('+1')).toBe('👍');
    expect(tagEmoji('-1')).toBe('👎');
    expect(tagEmoji('heavy_check_mark')).toBe('✔️');
    expect(tagEmoji('white_check_mark')).toBe('✅');
    expect(tagEmoji('rotating_light')).toBe('🚨');
    expect(tagEmoji('loudspeaker')).toBe('📢');
    expect(tagEmoji('x')).toBe('❌');
    expect(tagEmoji('partying_face')).toBe('🥳');
    expect(tagEmoji('fire')).toBe('🔥');
    expect(tagEmoji(' Warning ')).toBe('⚠️');
  });

  it('knows no emoji for other words, or for names an object has anyway', () => {
    expect(tagEmoji('backup')).toBeNull();
    expect(tagEmoji('constructor')).toBeNull();
    expect(tagEmoji('__proto__')).toBeNull();
    expect(tagEmoji('')).toBeNull();
  });

  it('splits tags into emoji and words, in the order published', () => {
    expect(splitTags(['warning', 'backup', 'skull', ' ', 'db-1'])).toEqual({
      emojis: [
        { tag: 'warning', emoji: '⚠️' },
        { tag: 'skull', emoji: '💀' },
      ],
      labels: ['backup', 'db-1'],
    });
    expect(splitTags([])).toEqual({ emojis: [], labels: [] });
  });
});
