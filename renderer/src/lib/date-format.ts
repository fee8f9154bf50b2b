// Intl's date formats, made once per language and options (making one is slow, and a list formats a
// date per row), and its words for nearby days.

const formats = new Map<string, Intl.DateTimeFormat>();
const relatives = new Map<string, Intl.RelativeTimeFormat>();

export function dateFormat(language: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(language, options);
    formats.set(key, f);
  }
  return f;
}

/** "Today" (0), "Yesterday" (1) / "今天", "昨天", as Intl says them, with a capital where the language has them. */
export function relativeDay(language: string, daysAgo: 0 | 1): string {
  let f = relatives.get(language);
  if (!f) {
    f = new Intl.RelativeTimeFormat(language, { numeric: 'auto' });
    relatives.set(language, f);
  }
  const word = f.format(-daysAgo, 'day');
  return word.charAt(0).toLocaleUpperCase(language) + word.slice(1);
}
