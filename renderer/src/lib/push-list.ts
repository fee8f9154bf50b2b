// The notification center's pushes: their order, and how a list from core joins what events
// already brought. A list answers the question as it was when asked; an event heard while the
// answer travelled is newer, whichever lands last.
import type { PushItem } from '../../../shared/ipc.js';

/** Newest first; pushes of the same second in a stable order. */
export function comparePushes(a: PushItem, b: PushItem): number {
  if (a.time !== b.time) return b.time - a.time;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export function sortPushes(pushes: Readonly<Record<string, PushItem>>): PushItem[] {
  return Object.values(pushes).sort(comparePushes);
}

/** High and urgent (priority 4 and 5) while unread: what the center shows above the rest. */
const pressing = (p: PushItem) => !p.read && p.priority >= 4;

/** The center's order: unread urgent, then unread high, each newest first; then the rest, newest first. */
export function centerOrder(pushes: Readonly<Record<string, PushItem>>): PushItem[] {
  return Object.values(pushes).sort((a, b) => {
    const rank = (p: PushItem) => (pressing(p) ? p.priority : 0);
    return rank(b) - rank(a) || comparePushes(a, b);
  });
}

export interface Listed {
  /** Newest first, at most `limit`: core's answer to 'push:list'. */
  items: readonly PushItem[];
  /** The topic asked for; undefined for all of them. */
  topic?: string;
  limit: number;
  /** An event told of this push (arrived, changed or removed) after the question left. */
  changedSince: (id: string) => boolean;
}

/**
 * What is held once the list landed: the list wins for what it covers, except pushes an event
 * told of meanwhile. A held push the list does not have was removed elsewhere, unless the list was
 * cut at its limit and the push is older than its oldest (then the list just did not reach it).
 */
export function mergeListed(held: Readonly<Record<string, PushItem>>, listed: Listed): Record<string, PushItem> {
  const inScope = (item: PushItem) => listed.topic === undefined || item.topic === listed.topic;
  const cut = listed.items.length >= listed.limit;
  const oldest = listed.items.reduce<PushItem | null>(
    (last, item) => (last === null || comparePushes(last, item) < 0 ? item : last),
    null,
  );
  const result: Record<string, PushItem> = {};
  for (const item of Object.values(held)) {
    const beyondList = cut && oldest !== null && comparePushes(oldest, item) < 0;
    if (!inScope(item) || beyondList || listed.changedSince(item.id)) result[item.id] = item;
  }
  for (const item of listed.items) {
    if (listed.changedSince(item.id) || !inScope(item)) continue;
    result[item.id] = item;
  }
  return result;
}
