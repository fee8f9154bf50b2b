// Presence in SQLite: contacts (who wrote to whom), last seen, and who hides.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { PresenceStore } from '../presence-store.js';

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

  constructor(db: Database.Database) {
    const q = statements(db);
    this.q = q;
    this.addContactsTx = db.transaction((writer: string, readers: string[]) => {
      for (const reader of readers) if (reader !== writer) q.addContact.run(writer, reader);
    });
    this.removeContactsTx = db.transaction((writer: string, readers: string[]) =>
      readers.filter((reader) => q.removeContact.run(writer, reader).changes > 0),
    );
  }

  /** Inside the caller's transaction (an ack about to queue a receipt). */
  isHiddenSync(username: string): boolean {
    return this.q.isHidden.get(username) !== undefined;
  }

  /** Inside the caller's transaction (an account reset): its contacts both ways, last seen and hiding. */
  forgetSync(username: string): void {
    this.q.deleteContacts.run({ username });
    this.q.deleteLastSeen.run(username);
    this.q.unhide.run(username);
  }

  async addContacts(writer: string, readers: string[]): Promise<void> {
    this.addContactsTx(writer, readers);
  }

  async removeContacts(writer: string, readers: string[]): Promise<string[]> {
    return this.removeContactsTx(writer, readers);
  }

  async audienceOf(username: string): Promise<string[]> {
    return this.q.audienceOf.all(username) as string[];
  }

  async writersTo(username: string): Promise<string[]> {
    return this.q.writersTo.all(username) as string[];
  }

  async setLastSeen(username: string, at: number | null): Promise<void> {
    this.q.setLastSeen.run(username, at);
  }

  async lastSeen(username: string): Promise<number | null> {
    return (this.q.lastSeen.get(username) as number | null | undefined) ?? null;
  }

  async setHidden(username: string, hidden: boolean): Promise<void> {
    (hidden ? this.q.hide : this.q.unhide).run(username);
  }

  async isHidden(username: string): Promise<boolean> {
    return this.isHiddenSync(username);
  }
}
