// Presence in SQLite: contacts (who wrote to whom), last seen, and who hides. Each send asks who
// the writer has written to and each ack whether the reader hides: both are kept in memory.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { PresenceStore } from '../presence-store.js';
import type { GroupCommit } from './group-commit.js';
import type { OtherWriters, RowCache } from './row-cache.js';

function statements(db: Database.Database) {
  return {
    addContact: db.prepare('INSERT OR IGNORE INTO contacts (username, other) VALUES (?, ?)'),
    removeContact: db.prepare('DELETE FROM contacts WHERE username = ? AND other = ?'),
    audienceOf: db.prepare('SELECT other FROM contacts WHERE username = ?').pluck(),
    writersTo: db.prepare('SELECT username FROM contacts WHERE other = ?').pluck(),
    deleteContacts: db.prepare('DELETE FROM contacts WHERE username = @username OR other = @username'),
    setLastSeen: db.prepare('INSERT INTO last_seen (username, at) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET at = excluded.at'),
    lastSeen: db.prepare('SELECT at FROM last_seen WHERE username = ?').pluck(),
    deleteLastSeen: db.prepare('DELETE FROM last_seen WHERE username = ?'),
    hide: db.prepare('INSERT OR IGNORE INTO hidden (username) VALUES (?)'),
    unhide: db.prepare('DELETE FROM hidden WHERE username = ?'),
    isHidden: db.prepare('SELECT 1 FROM hidden WHERE username = ?').pluck(),
  };
}

export class SqlitePresenceStore implements PresenceStore {
  private readonly q: ReturnType<typeof statements>;
  private readonly addContactsTx: (writer: string, readers: string[]) => void;
  private readonly removeContactsTx: (writer: string, readers: string[]) => string[];
  /** Who each writer has written to. */
  private readonly audiences: RowCache<ReadonlySet<string>>;
  private readonly hidden: RowCache<boolean>;

  constructor(
    db: Database.Database,
    private readonly writes: GroupCommit,
    others: OtherWriters,
  ) {
    this.audiences = others.cache();
    this.hidden = others.cache();
    const q = statements(db);
    this.q = q;
    this.addContactsTx = db.transaction((writer: string, readers: string[]) => {
      this.audiences.forget(writer);
      for (const reader of readers) if (reader !== writer) q.addContact.run(writer, reader);
    });
    this.removeContactsTx = db.transaction((writer: string, readers: string[]) => {
      this.audiences.forget(writer);
      return readers.filter((reader) => q.removeContact.run(writer, reader).changes > 0);
    });
  }

  /** Inside the caller's transaction (an ack about to queue a receipt). */
  isHiddenSync(username: string): boolean {
    return this.hidden.get(username, () => this.q.isHidden.get(username) !== undefined)!;
  }

  /** Inside the caller's transaction (an account reset): its contacts both ways, last seen and hiding. */
  forgetSync(username: string): void {
    // Others' audiences held the name too: rare enough to forget them all.
    this.audiences.clear();
    this.hidden.forget(username);
    this.q.deleteContacts.run({ username });
    this.q.deleteLastSeen.run(username);
    this.q.unhide.run(username);
  }

  /** In the group commit: a first message's contacts cost no commit of their own. */
  async addContacts(writer: string, readers: string[]): Promise<void> {
    await this.writes.write(() => this.addContactsTx(writer, readers));
  }

  async removeContacts(writer: string, readers: string[]): Promise<string[]> {
    return this.removeContactsTx(writer, readers);
  }

  async audienceOf(username: string): Promise<string[]> {
    return [...this.audienceSet(username)];
  }

  async notWrittenTo(writer: string, readers: string[]): Promise<string[]> {
    const audience = this.audienceSet(writer);
    return readers.filter((reader) => reader !== writer && !audience.has(reader));
  }

  private audienceSet(username: string): ReadonlySet<string> {
    return this.audiences.get(username, () => new Set(this.q.audienceOf.all(username) as string[]))!;
  }

  async writersTo(username: string): Promise<string[]> {
    return this.q.writersTo.all(username) as string[];
  }

  /** In the group commit: when many devices go at once, their last seen costs one commit. */
  async setLastSeen(username: string, at: number | null): Promise<void> {
    await this.writes.write(() => this.q.setLastSeen.run(username, at));
  }

  async lastSeen(username: string): Promise<number | null> {
    return (this.q.lastSeen.get(username) as number | null | undefined) ?? null;
  }

  async setHidden(username: string, hidden: boolean): Promise<void> {
    this.hidden.forget(username);
    (hidden ? this.q.hide : this.q.unhide).run(username);
  }

  async isHidden(username: string): Promise<boolean> {
    return this.isHiddenSync(username);
  }
}
