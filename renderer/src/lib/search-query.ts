// What is typed in the search box: the words to look for, `from:NAME` (what one person wrote) and
// `has:file` (messages with files; `has:attachment` too, as mail clients spell it).

export interface ParsedQuery {
  words: string;
  from: string | null;
  hasFile: boolean;
}

const FROM = /(?:^|\s)from:(\S+)/giu;
const HAS_FILE = /(?:^|\s)has:(?:files?|attachments?)(?=\s|$)/giu;
/** What the search box's "with files" button adds and takes away. */
export const HAS_FILE_TOKEN = 'has:file';

/** The words and the last `from:` given; names are matched as the relay keeps them, in lower case. */
export function parseQuery(typed: string): ParsedQuery {
  let from: string | null = null;
  let hasFile = false;
  const words = typed
    .replace(FROM, (_, name: string) => {
      from = name.toLowerCase();
      return ' ';
    })
    .replace(HAS_FILE, () => {
      hasFile = true;
      return ' ';
    });
  return { words: words.trim().replace(/\s+/gu, ' '), from, hasFile };
}

/** The query with the files filter added, or taken away when it is there. */
export function toggleHasFile(typed: string): string {
  if (parseQuery(typed).hasFile) return typed.replace(HAS_FILE, ' ').trim().replace(/\s+/gu, ' ');
  return typed.trim() === '' ? HAS_FILE_TOKEN : `${typed.trim()} ${HAS_FILE_TOKEN}`;
}
