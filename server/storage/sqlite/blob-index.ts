// The blob index in SQLite (table blobs, migration 004). Each call is one statement or one
// transaction on the relay's connection, so the quota check and the insert cannot interleave.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { BlobIndex, BlobReservation, BlobRow } from '../blob-index.js';

interface Row {
  id: string;
  owner: string;
  size: number;
  created_at: number;
  completed_at: number | null;
  kept_at: number | null;
}

function statements(db: Database.Database) {
  return {
    get: db.prepare('SELECT id, owner, size, created_at, completed_at, kept_at FROM blobs WHERE id = ?'),
    exists: db.prepare('SELECT 1 FROM blobs WHERE id = ?').pluck(),
    used: db.prepare('SELECT coalesce(sum(size), 0) FROM blobs WHERE owner = ?').pluck(),
    insert: db.prepare('INSERT INTO blobs (id, owner, size, created_at, completed_at) VALUES (?, ?, ?, ?, NULL)'),
    complete: db.prepare('UPDATE blobs SET completed_at = ? WHERE id = ? AND completed_at IS NULL'),
    keep: db.prepare('UPDATE blobs SET kept_at = max(@at, coalesce(kept_at, 0)) WHERE id = @id AND completed_at IS NOT NULL'),
    remove: db.prepare('DELETE FROM blobs WHERE id = ?'),
    expired: db
      .prepare(
        `SELECT id FROM blobs WHERE completed_at < @finished AND coalesce(kept_at, 0) < @finished
         UNION ALL SELECT id FROM blobs WHERE completed_at IS NULL AND created_at < @unfinished LIMIT @limit`,
      )
      .pluck(),
  };
}

export class SqliteBlobIndex implements BlobIndex {
  private readonly q: ReturnType<typeof statements>;
  private readonly reserveTx: (row: Omit<BlobRow, 'completedAt' | 'keptAt'>, quotaBytes: number) => BlobReservation;

  constructor(db: Database.Database) {
    const q = (this.q = statements(db));
    this.reserveTx = db.transaction((row: Omit<BlobRow, 'completedAt' | 'keptAt'>, quotaBytes: number): BlobReservation => {
      if (q.exists.get(row.id) !== undefined) return 'exists';
      if ((q.used.get(row.owner) as number) + row.size > quotaBytes) return 'quota_exceeded';
      q.insert.run(row.id, row.owner, row.size, row.createdAt);
      return 'reserved';
    });
  }

  async reserve(row: Omit<BlobRow, 'completedAt' | 'keptAt'>, quotaBytes: number): Promise<BlobReservation> {
    return this.reserveTx(row, quotaBytes);
  }

  async get(id: string): Promise<BlobRow | undefined> {
    const row = this.q.get.get(id) as Row | undefined;
    return row && { id: row.id, owner: row.owner, size: row.size, createdAt: row.created_at, completedAt: row.completed_at, keptAt: row.kept_at };
  }

  async complete(id: string, at: number): Promise<void> {
    this.q.complete.run(at, id);
  }

  async keep(id: string, at: number): Promise<boolean> {
    return this.q.keep.run({ at, id }).changes === 1;
  }

  async remove(id: string): Promise<void> {
    this.q.remove.run(id);
  }

  async usedBytes(owner: string): Promise<number> {
    return this.q.used.get(owner) as number;
  }

  async expired(finishedBefore: number, unfinishedBefore: number, limit: number): Promise<string[]> {
    return this.q.expired.all({ finished: finishedBefore, unfinished: unfinishedBefore, limit }) as string[];
  }
}
