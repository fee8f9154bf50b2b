import { describe, expect, it } from 'vitest';
import emojis from 'emojibase-data/en/data.json';
import messages from 'emojibase-data/en/messages.json';
import zhEmojis from 'emojibase-data/zh/data.json';
import zhMessages from 'emojibase-data/zh/messages.json';
import { MAX_EMOJI_VERSION, toEmojiData } from './emoji-data.js';

describe('the emoji picker data', () => {
  const data = toEmojiData('en', emojis, messages);

  it('has the categories people pick from, without the skin-tone components', () => {
    expect(data.categories.map((c) => c.label)).toContain('Smileys & emotion');
    expect(data.categories.map((c) => c.label)).not.toContain('Components');
    expect(data.emojis.some((e) => e.label === 'Medium skin tone')).toBe(false);
  });

  it('leaves out emoji newer than the systems draw', () => {
    expect(emojis.some((e) => e.version > MAX_EMOJI_VERSION)).toBe(true);
    expect(data.emojis.every((e) => e.version <= MAX_EMOJI_VERSION)).toBe(true);
  });

  it('gives each emoji that has them its five skin tones', () => {
    const wave = data.emojis.find((e) => e.label === 'Waving hand');
    expect(wave?.skins && Object.keys(wave.skins).sort()).toEqual(['dark', 'light', 'medium', 'medium-dark', 'medium-light']);
    expect(wave?.skins?.dark).toBe('👋🏿');
    expect(data.emojis.find((e) => e.label === 'Red heart')?.skins).toBeUndefined();
  });

  it('names them in Chinese for the Chinese UI', () => {
    const zh = toEmojiData('zh', zhEmojis, zhMessages);
    expect(zh.emojis.find((e) => e.emoji === '👍️' || e.emoji === '👍')?.label).toMatch(/[\u4e00-\u9fff]/u);
    expect(zh.emojis).toHaveLength(data.emojis.length);
  });
});
