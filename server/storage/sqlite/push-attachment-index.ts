// The push attachments' index in SQLite (table push_attachments, migration 005). The claim is one
// transaction on the relay's connection, so the total check and the insert cannot interleave.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { PushAttachmentIndex, PushAttachmentRow } from '../push-attachment-index.js';

function statements(db: Database.Database) {
  return {
    get: db.prepare('SELECT id, size, expires FROM push_attachments WHERE id = ?'),
    total: db.prepare('SELECT coalesce(sum(size), 0) FROM push_attachments').pluck(),
    insert: db.prepare('INSERT INTO push_attachments (id, size, expires) VALUES (@id, @size, @expires)'),
    remove: db.prepare('DELETE FROM push_attachments WHERE id = ?'),
    expired: db.prepare('SELECT id FROM push_attachments WHERE expires <= ? ORDER BY expires LIMIT ?').pluck(),
  };
}

export class SqlitePushAttachmentIndex implements PushAttachmentIndex {
  private readonly q: ReturnType<typeof statements>;
  private readonly claimTx: (row: PushAttachmentRow, totalBytes: number) => boolean;

  constructor(db: Database.Database) {
    const q = (this.q = statements(db));
    this.claimTx = db.transaction((row: PushAttachmentRow, totalBytes: number): boolean => {
      if ((q.total.get() as number) + row.size > totalBytes) return false;
      q.insert.run(row);
      return true;
    });
  }

  async claim(row: PushAttachmentRow, totalBytes: number): Promise<boolean> {
    return this.claimTx(row, totalBytes);
  }

  async get(id: string): Promise<PushAttachmentRow | undefined> {
    return this.q.get.get(id) as PushAttachmentRow | undefined;
  }

  async remove(id: string): Promise<void> {
    this.q.remove.run(id);
  }

  async totalBytes(): Promise<number> {
    return this.q.total.get() as number;
  }

  async expired(nowS: number, limit: number): Promise<string[]> {
    return this.q.expired.all(nowS, limit) as string[];
  }
}
