// What presence needs to remember: who wrote to whom (presence is consent), last seen, and who hides.

export interface PresenceStore {
  /**
   * Records that `writer` has written to these people. Presence is consent: someone sees your
   * presence only once you have written to them.
   */
  addContacts(writer: string, readers: string[]): Promise<void>;
  /**
   * `writer` takes its presence back from these people (they no longer share a conversation);
   * returns those of them that could see it.
   */
  removeContacts(writer: string, readers: string[]): Promise<string[]>;
  /** Who `username` has written to: they may see its presence. */
  audienceOf(username: string): Promise<string[]>;
  /** Those of `readers` (not `writer` itself) that `writer` has not written to yet. */
  notWrittenTo(writer: string, readers: string[]): Promise<string[]>;
  /** Who has written to `username`: it may see their presence. */
  writersTo(username: string): Promise<string[]>;
  setLastSeen(username: string, at: number | null): Promise<void>;
  lastSeen(username: string): Promise<number | null>;
  /** The account hides its presence (and last seen, and delivery receipts) from everyone. */
  setHidden(username: string, hidden: boolean): Promise<void>;
  isHidden(username: string): Promise<boolean>;
}
