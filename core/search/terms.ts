// What the full-text index holds of a message, and what a query asks of it. FTS5's unicode61
// tokenizer folds case and accents but reads a run of Chinese or Japanese as one word and drops
// emoji; its trigram tokenizer matches nothing shorter than three characters, and most Chinese
// words are two. So the text is indexed through searchTerms(): each CJK character becomes a token of
// its own, and each emoji a word-like token. A query is rewritten the same way, a CJK run becoming
// a phrase of adjacent characters: "北京" finds 北京 and never 北 … 京.
import type Database from 'better-sqlite3-multiple-ciphers';

/** The SQL functions the index's triggers call (core/migrations/007-message-search.ts). */
export const SEARCH_TERMS_FUNCTION = 'warbler_search_terms';
export const SEARCH_PLACE_FUNCTION = 'warbler_search_place';

// Han (with the ideographic iteration marks), kana: scripts written without spaces between words.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3005\u3006\u30FC]/u;
// A whole emoji: a pictograph with its variation selector, skin tone and ZWJ sequence, or a flag.
const EMOJI = /\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?(?:\u200D\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier})?)*|\p{Regional_Indicator}{2}/gu;
// What unicode61 keeps of a word (its separators are everything else).
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** An emoji as a token unicode61 keeps whole: its code points, without the variation selector. */
function emojiToken(emoji: string): string {
  const points = [...emoji].filter((c) => c !== '\uFE0F').map((c) => c.codePointAt(0)!.toString(16));
  return ` emoji${points.join('x')} `;
}

/** The text as the index stores it: NFKC, each CJK character and each emoji a token of its own. */
export function searchTerms(text: string): string {
  let out = '';
  for (const char of text.normalize('NFKC').replace(EMOJI, emojiToken)) out += CJK.test(char) ? ` ${char} ` : char;
  return out;
}

/**
 * An FTS5 query for what a person typed: every word must be there (a Latin word may be the start of
 * one, as the person is still typing); a CJK run must be there as written. Null when the text holds
 * nothing to look for (only spaces or punctuation).
 */
export function matchQuery(typed: string): string | null {
  const parts: string[] = [];
  let run = '';
  const endRun = () => {
    if (run) parts.push(`"${[...run].join(' ')}"`);
    run = '';
  };
  for (const piece of searchTerms(typed).split(/\s+/)) {
    if (piece.length === 0) continue;
    if ([...piece].length === 1 && CJK.test(piece)) {
      run += piece;
      continue;
    }
    endRun();
    for (const word of piece.match(WORD) ?? []) {
      // Quoted, so no word is read as an operator (AND, NOT, NEAR) or a column name.
      parts.push(word.startsWith('emoji') ? `"${word}"` : `"${word}"*`);
    }
  }
  endRun();
  return parts.length > 0 ? parts.join(' ') : null;
}

/**
 * Where a message is and who wrote it, as two tokens of the index's second column: a search within
 * one conversation, or from one person, is then an intersection inside the index rather than a walk
 * through every match. Hex, as ids and names hold characters the tokenizer would split on.
 */
export const conversationToken = (conversation: string): string => `c${Buffer.from(conversation).toString('hex')}`;
export const senderToken = (sender: string): string => `s${Buffer.from(sender).toString('hex')}`;

/** Makes searchTerms() and the place tokens callable from SQL on this connection: the index's triggers need them. */
export function registerSearchTerms(db: Database.Database): void {
  db.function(SEARCH_TERMS_FUNCTION, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? searchTerms(text) : ''));
  db.function(SEARCH_PLACE_FUNCTION, { deterministic: true }, (conversation: unknown, sender: unknown) =>
    `${conversationToken(String(conversation))} ${senderToken(String(sender))}`,
  );
}
