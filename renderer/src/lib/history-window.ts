// The part of a conversation's history the renderer holds: one contiguous run of it, bounded in size.
// Older messages are paged in with `messages:list {before}`; there is no "after", so a run that let go
// of its newest messages (to page further back) catches up with the latest page when it overlaps,
// or is replaced by it when it does not. Pure functions: the store calls them, the tests drive them.
import type { ChatMessage } from '../../../shared/ipc.js';
import { compareMessages, upsertMessages } from '../model.js';

/** Most messages of one conversation held while the reader is at the newest (or elsewhere). */
export const MAX_HELD = 1000;
/** Never more than this, even while the reader is scrolled up and new messages keep coming. */
export const HARD_MAX_HELD = 2 * MAX_HELD;

export interface HistoryWindow {
  /** Messages ordered before the first one held may exist. */
  hasOlder: boolean;
  /** Newer messages exist than the last one held: the run was cut at its newest end to stay bounded. */
  hasNewer: boolean;
  loadingOlder: boolean;
  loadingNewer: boolean;
  /** The last request in that direction failed: no automatic retry until the reader asks. */
  olderFailed: boolean;
  newerFailed: boolean;
  /** A page is being put in place: the log does not announce it, it is not news. */
  settling: boolean;
}

export interface Held {
  messages: ChatMessage[];
  /** Undefined until a page was loaded (messages may still have arrived as events). */
  window: HistoryWindow | undefined;
}

const FRESH: HistoryWindow = {
  hasOlder: false,
  hasNewer: false,
  loadingOlder: false,
  loadingNewer: false,
  olderFailed: false,
  newerFailed: false,
  settling: false,
};

function withWindow(window: HistoryWindow | undefined, patch: Partial<HistoryWindow>): HistoryWindow {
  return { ...FRESH, ...window, ...patch };
}

/**
 * Keeps the run within bounds. When the reader is at the newest messages (`atLatest`, also true for a
 * conversation nobody is looking at) the oldest go; otherwise new arrivals are let go beyond the hard
 * bound, so nothing the reader may be looking at disappears.
 */
function bound(held: Held, atLatest: boolean): Held {
  const { messages } = held;
  if (atLatest && messages.length > MAX_HELD) {
    return { messages: messages.slice(-MAX_HELD), window: withWindow(held.window, { hasOlder: true }) };
  }
  if (!atLatest && messages.length > HARD_MAX_HELD) {
    return { messages: messages.slice(0, HARD_MAX_HELD), window: withWindow(held.window, { hasNewer: true }) };
  }
  return held;
}

/** Messages that arrived as events (or were just sent). */
export function applyIncoming(held: Held, incoming: readonly ChatMessage[], atLatest: boolean): Held {
  let accepted = incoming;
  if (held.window?.hasNewer) {
    // Cut at the newest end: take updates to what is held and anything ordered inside the run only;
    // the rest is paged in when the reader gets there.
    const last = held.messages[held.messages.length - 1];
    const ids = new Set(held.messages.map((m) => m.id));
    accepted = incoming.filter((m) => ids.has(m.id) || (last !== undefined && compareMessages(m, last) < 0));
  }
  const messages = upsertMessages(held.messages, accepted);
  return messages === held.messages ? held : bound({ messages, window: held.window }, atLatest);
}

/**
 * The latest page (`messages:list` without `before`). Overlapping what is held (or being the whole
 * history), it is merged in. Otherwise there is a gap between the two: the page replaces the run,
 * unless the reader is scrolled up in it (`readerAway`), who keeps their place and can catch up later.
 * `replaced` tells that the run the reader saw is gone.
 */
export function applyLatest(
  held: Held,
  page: readonly ChatMessage[],
  limit: number,
  readerAway: boolean,
): { held: Held; replaced: boolean } {
  const current = held.messages;
  const whole = page.length < limit;
  const ids = new Set(page.map((m) => m.id));
  const first = page[0];
  const last = page[page.length - 1];
  if (whole || current.length === 0 || current.some((m) => ids.has(m.id))) {
    const startsEarlier = current[0] !== undefined && first !== undefined && compareMessages(current[0], first) < 0;
    const hasOlder = whole ? false : startsEarlier ? (held.window?.hasOlder ?? true) : true;
    const messages = upsertMessages(current, page);
    const window = withWindow(held.window, { hasOlder, hasNewer: false, newerFailed: false });
    return { held: bound({ messages, window }, !readerAway), replaced: false };
  }
  if (readerAway) {
    return { held: { messages: current, window: withWindow(held.window, { hasNewer: true }) }, replaced: false };
  }
  // Anything held that is newer than the page arrived while it was on its way: keep it.
  const newer = last ? current.filter((m) => !ids.has(m.id) && compareMessages(m, last) > 0) : [];
  const messages = upsertMessages([...page], newer);
  const window = withWindow(held.window, { hasOlder: true, hasNewer: false, olderFailed: false, newerFailed: false });
  return { held: bound({ messages, window }, true), replaced: true };
}

/**
 * The page around a message opened from a search (`messages:list {around}`): it replaces the run,
 * which now has more on both sides as far as anyone knows; paging either way finds out.
 */
export function applyAround(page: readonly ChatMessage[]): Held {
  return { messages: [...page], window: withWindow(undefined, { hasOlder: page.length > 0, hasNewer: page.length > 0 }) };
}

/**
 * A page of older messages, asked for `before` the first one held. Ignored when the run no longer
 * starts there (it was replaced or trimmed meanwhile). A page shorter than `limit` reached the start.
 */
export function applyOlder(
  held: Held,
  before: string,
  page: readonly ChatMessage[],
  limit: number,
  atLatest: boolean,
): Held {
  if (held.messages[0]?.id !== before) return held;
  const messages = upsertMessages(held.messages, page);
  const window = withWindow(held.window, { hasOlder: page.length >= limit });
  if (messages.length <= MAX_HELD) return { messages, window };
  if (atLatest) return bound({ messages, window }, true);
  // The reader went back in time: let go of the newest instead; they are paged in again on the way back.
  return { messages: messages.slice(0, MAX_HELD), window: { ...window, hasNewer: true } };
}

/**
 * A message left the conversation (a placeholder whose real message landed elsewhere). What the
 * window says about the rest of the history still holds; the same object when it was not held.
 */
export function dropMessage(held: Held, id: string): Held {
  if (!held.messages.some((m) => m.id === id)) return held;
  return { messages: held.messages.filter((m) => m.id !== id), window: held.window };
}

/** The reader came back to the newest messages: what grew beyond the bound while they were away goes. */
export function settle(held: Held): Held {
  return held.window?.hasNewer ? held : bound(held, true);
}

export function patchWindow(held: Held, patch: Partial<HistoryWindow>): Held {
  return held.window ? { messages: held.messages, window: { ...held.window, ...patch } } : held;
}
