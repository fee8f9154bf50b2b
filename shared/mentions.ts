// @mentions: "@name" in a message's text, where name is a username (as typed: any case). A mention
// of this person notifies them even in a muted conversation.
const MENTION = /(^|[^\p{L}\p{N}_.@-])@([A-Za-z][A-Za-z0-9_.-]{1,31})(?![A-Za-z0-9_-])/gu;

/** The usernames a text mentions, lowercased, each once, in the order they come. */
export function mentionsOf(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(MENTION)) found.add(match[2]!.replace(/\.+$/, '').toLowerCase());
  return [...found];
}

export const mentions = (text: string, username: string): boolean => mentionsOf(text).includes(username);

/** The text in pieces: plain runs, and mentions (with the username they name). */
export function splitMentions(text: string): { text: string; mention?: string }[] {
  const pieces: { text: string; mention?: string }[] = [];
  let at = 0;
  for (const match of text.matchAll(MENTION)) {
    const name = match[2]!.replace(/\.+$/, '');
    const start = match.index + match[1]!.length;
    if (start > at) pieces.push({ text: text.slice(at, start) });
    pieces.push({ text: `@${name}`, mention: name.toLowerCase() });
    at = start + 1 + name.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at) });
  return pieces;
}
