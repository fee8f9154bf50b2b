// Per key, whether a read is still the latest word: a fetch that started before a change was heard
// (an event) must not overwrite it when it lands, or a stale "verified" could come back.

export interface Freshness {
  /** Taken when a read starts. */
  ticket(key: string): number;
  /** Something newer than any read in flight was heard for this key. */
  changed(key: string): void;
  /** Nothing was heard for this key since the ticket was taken. */
  isCurrent(key: string, ticket: number): boolean;
}

export function createFreshness(): Freshness {
  const heard = new Map<string, number>();
  const ticket = (key: string) => heard.get(key) ?? 0;
  return {
    ticket,
    changed: (key) => void heard.set(key, ticket(key) + 1),
    isCurrent: (key, taken) => ticket(key) === taken,
  };
}
