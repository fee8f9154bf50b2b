import { describe, expect, it } from 'vitest';
import { Emoji, isEmoji } from './emoji.js';

describe('a reaction emoji', () => {
  it('is one emoji, with its skin tone, sequence, flag or keycap', () => {
    for (const emoji of ['👍', '❤️', '😂', '👍🏽', '👩‍👩‍👧', '🇨🇳', '1️⃣', '🏳️‍🌈']) expect(isEmoji(emoji), emoji).toBe(true);
  });

  it('is never text, two emoji, or an emoji with text beside it', () => {
    for (const text of ['', 'a', 'ok', '👍👍', '👍 ', ' 👍', '👍a', '中', '1', '\u200d']) expect(isEmoji(text), JSON.stringify(text)).toBe(false);
    expect(Emoji.safeParse('lol').success).toBe(false);
  });
});
