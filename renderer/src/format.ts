// Locale-aware time formatting for message timestamps (the sender's clock, sentAt).
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(language: string, kind: 'time' | 'dateTime' | 'full'): Intl.DateTimeFormat {
  const key = `${language}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { hour: 'numeric', minute: '2-digit' }
        : kind === 'dateTime'
          ? { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }
          : { dateStyle: 'full', timeStyle: 'medium' };
    f = new Intl.DateTimeFormat(language, options);
    cache.set(key, f);
  }
  return f;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Time only for today; month, day and time otherwise. */
export function formatMessageTime(ms: number, language: string, now = new Date()): string {
  const date = new Date(ms);
  return formatter(language, sameDay(date, now) ? 'time' : 'dateTime').format(date);
}

export function formatFullTime(ms: number, language: string): string {
  return formatter(language, 'full').format(new Date(ms));
}
