// The emoji picker's data, from the emojibase-data package bundled with the app: the renderer may
// not fetch (its content security policy allows no connections), and a picker must not tell a CDN
// when someone opens it. Each language's data is its own chunk, loaded the first time it is shown.
import type { Emoji as EmojibaseEmoji, MessagesDataset } from 'emojibase';
import type { EmojiData, EmojiDataResolver } from 'frimousse';

/**
 * Newer emoji than this are left out. Unicode 15.1 is what the emoji fonts of the systems Warbler
 * supports draw (Windows 11, macOS 14, Debian 12's Noto Color Emoji); a newer one would show as a box.
 */
export const MAX_EMOJI_VERSION = 15.1;

const TONES = ['light', 'medium-light', 'medium', 'medium-dark', 'dark'] as const;
type ToneKey = (typeof TONES)[number];

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Emojibase's data in the shape the picker takes: categories without skin-tone components, one skin per tone. */
export function toEmojiData(locale: string, emojis: EmojibaseEmoji[], messages: MessagesDataset): EmojiData {
  const groups = messages.groups.filter((g) => g.key !== 'component');
  const shown = new Set(groups.map((g) => g.order));
  const skinTones = Object.fromEntries(messages.skinTones.map((s) => [s.key, capitalised(s.message)])) as Record<ToneKey, string>;
  return {
    locale,
    categories: groups.map((g) => ({ index: g.order, label: capitalised(g.message) })),
    skinTones,
    emojis: emojis
      .filter((e) => e.group !== undefined && shown.has(e.group) && e.version <= MAX_EMOJI_VERSION)
      .map((e) => ({
        emoji: e.emoji,
        category: e.group!,
        version: e.version,
        label: capitalised(e.label),
        tags: e.tags ?? [],
        skins: skinsOf(e),
      })),
  };
}

function skinsOf(emoji: EmojibaseEmoji): Record<ToneKey, string> | undefined {
  // One tone each; the multi-person mixes (a tone array) are left to the base emoji.
  const single = emoji.skins?.filter((s) => typeof s.tone === 'number') ?? [];
  if (single.length === 0) return undefined;
  return Object.fromEntries(single.map((s) => [TONES[(s.tone as number) - 1], s.emoji])) as Record<ToneKey, string>;
}

/** The picker's languages: the UI's Chinese uses emojibase's Simplified Chinese names. */
export const resolveEmojiData: EmojiDataResolver = async (locale) => {
  const [emojis, messages] =
    locale === 'zh'
      ? await Promise.all([import('emojibase-data/zh/data.json'), import('emojibase-data/zh/messages.json')])
      : await Promise.all([import('emojibase-data/en/data.json'), import('emojibase-data/en/messages.json')]);
  return toEmojiData(locale, emojis.default, messages.default);
};
