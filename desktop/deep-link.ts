// warbler:// links: from the OS (a second launch's argv on Windows and Linux, open-url on macOS)
// to something the app shows. Anything else in a link is refused: a link is untrusted input.
import { z } from 'zod';
import { ConversationId } from '../shared/ipc.js';

export const PROTOCOL = 'warbler';

export type DeepLink = { kind: 'conversation'; conversationId: string } | { kind: 'push'; id: string };

const PushId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/**
 * warbler://chat/alice, warbler://chat/%23team-id (a group), warbler://push/ID.
 * undefined for anything that is not exactly one of these.
 */
export function parseDeepLink(text: string): DeepLink | undefined {
  // URL() would resolve dot segments away; a link that has any is not one Warbler makes.
  if (text.length > 512 || /\/\.{1,2}(\/|$)/.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== `${PROTOCOL}:` || url.username || url.password || url.port || url.search || url.hash) return undefined;
  const segments = url.pathname.split('/').filter(Boolean);
  if (segments.length !== 1) return undefined;
  let value: string;
  try {
    value = decodeURIComponent(segments[0] as string);
  } catch {
    return undefined;
  }
  if (url.hostname === 'chat') {
    const id = ConversationId.safeParse(value);
    return id.success ? { kind: 'conversation', conversationId: id.data } : undefined;
  }
  if (url.hostname === 'push') {
    const id = PushId.safeParse(value);
    return id.success ? { kind: 'push', id: id.data } : undefined;
  }
  return undefined;
}

/** The link a launch was given: Windows and Linux pass it as an argument, after Chromium's own switches. */
export function deepLinkInArgv(argv: readonly string[]): DeepLink | undefined {
  for (const arg of argv) {
    if (!arg.toLowerCase().startsWith(`${PROTOCOL}:`)) continue;
    const link = parseDeepLink(arg);
    if (link) return link;
  }
  return undefined;
}
