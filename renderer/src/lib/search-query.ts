// What is typed in the search box: the words to look for, and `from:NAME` (what one person wrote).

export interface ParsedQuery {
  words: string;
  from: string | null;
}

const FROM = /(?:^|\s)from:(\S+)/giu;

/** The words and the last `from:` given; names are matched as the relay keeps them, in lower case. */
export function parseQuery(typed: string): ParsedQuery {
  let from: string | null = null;
  const words = typed.replace(FROM, (_, name: string) => {
    from = name.toLowerCase();
    return ' ';
  });
  return { words: words.trim().replace(/\s+/gu, ' '), from };
}
