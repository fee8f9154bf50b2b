// Where a search's words are in a found message, for <mark>: found the way the index finds them
// (core/search/terms.ts), whatever the case and accents: a word at the start of a word, a CJK run
// or an emoji anywhere.

export interface TextPart {
  text: string;
  match: boolean;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3006\u30FC]/u;
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const LOOKED_FOR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3006\u30FC]+|[\p{L}\p{N}\p{M}]+|\p{Extended_Pictographic}/gu;

/** Each UTF-16 unit of `text` folded (lower case, no accents), with where each folded unit came from. */
function fold(text: string): { folded: string; from: number[] } {
  let folded = '';
  const from: number[] = [];
  let at = 0;
  for (const char of text) {
    const bare = char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    for (let i = 0; i < bare.length; i++) from.push(at);
    folded += bare;
    at += char.length;
  }
  from.push(text.length);
  return { folded, from };
}

/** The words of a query as they are looked for, folded. */
function wordsOf(query: string): string[] {
  return (query.normalize('NFKC').match(LOOKED_FOR) ?? []).map((word) => fold(word).folded).filter((word) => word !== '');
}

/** `text` in parts, the found words marked; one unmarked part when nothing is found. */
export function highlight(text: string, query: string): TextPart[] {
  const { folded, from } = fold(text);
  const ranges: [number, number][] = [];
  for (const word of wordsOf(query)) {
    const anywhere = CJK.test(word) || !WORD_CHAR.test(word);
    for (let at = folded.indexOf(word); at !== -1; at = folded.indexOf(word, at + word.length)) {
      // A Latin word is found at the start of a word only, as the index finds it.
      if (!anywhere && at > 0 && WORD_CHAR.test(folded[at - 1]!) && !CJK.test(folded[at - 1]!)) continue;
      ranges.push([from[at]!, from[at + word.length]!]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const parts: TextPart[] = [];
  let done = 0;
  for (const [start, end] of ranges) {
    if (end <= done) continue;
    const last = parts[parts.length - 1];
    if (start <= done && last?.match) {
      last.text += text.slice(done, end); // overlapping the previous find: one mark
    } else {
      if (start > done) parts.push({ text: text.slice(done, start), match: false });
      parts.push({ text: text.slice(Math.max(start, done), end), match: true });
    }
    done = end;
  }
  if (done < text.length || parts.length === 0) parts.push({ text: text.slice(done), match: false });
  return parts;
}

/**
 * At most about `max` characters of a long message, cut so that its first find shows (with "…"
 * where it was cut); a message that fits is left whole.
 */
export function excerpt(text: string, query: string, max = 140): string {
  if (text.length <= max) return text;
  let at = 0;
  for (const part of highlight(text, query)) {
    if (part.match) break;
    at += part.text.length;
  }
  const start = Math.max(0, Math.min(at - Math.floor(max / 4), text.length - max));
  const end = Math.min(text.length, start + max);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
