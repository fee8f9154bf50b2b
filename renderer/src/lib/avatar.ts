// What an avatar without a picture shows: up to two initials (by grapheme, so an emoji or a CJK
// character is whole) on a colour derived from the name, the same on every device. Each colour
// carries white text at WCAG AA (4.5:1 or more) in both themes.
export const AVATAR_COLOURS = ['#b42318', '#b54708', '#027a48', '#0e7090', '#175cd3', '#5925dc', '#c11574', '#475467'] as const;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function firstGrapheme(word: string): string {
  for (const { segment } of graphemes.segment(word)) return segment;
  return '';
}

/** "alice" → "A", "bob_smith" → "BS", "Climbing team" → "CT", "张三" → "张", "#dev" → "D". */
export function initialsOf(name: string): string {
  const words = name
    .split(/[\s_.\-#@]+/u)
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 0) return '?';
  const first = firstGrapheme(words[0]!);
  // A name written without spaces (Chinese, Japanese) gives its first character alone.
  if (words.length === 1 || /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u.test(first)) return first.toLocaleUpperCase();
  return (first + firstGrapheme(words[words.length - 1]!)).toLocaleUpperCase();
}

/** A stable colour for a name (FNV-1a over its UTF-16 code units). */
export function avatarColour(name: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return AVATAR_COLOURS[(hash >>> 0) % AVATAR_COLOURS.length]!;
}
