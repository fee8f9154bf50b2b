// The only URLs a push may lead to: http(s), as a parsed absolute URL. Anything else (javascript:,
// data:, file:, a relative path that would resolve inside the app) is shown as text, never followed.

export function httpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const text = raw.trim();
  // Parsing alone would accept "http:example.org" and friends; insist on the spelled-out form.
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text)) return null;
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '') return null;
  return url.href;
}
