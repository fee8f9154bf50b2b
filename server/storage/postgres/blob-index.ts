// The blob index in PostgreSQL (table blobs, migration 002), shared by every node of a relay. A
// reservation checks the owner's quota and inserts under a lock on that owner held to commit, so
// two nodes reserving for one account at once cannot both slip under the quota.
import { z } from 'zod';
import type { BlobIndex, BlobReservation, BlobRow } from '../blob-index.js';
import type { PgDatabase } from './database.js';
import { LOCK, lockUntilCommit } from './locks.js';
import { firstRowOf, int8, rowsOf } from './rows.js';

const Row = z.object({
  id: z.string(),
  owner: z.string(),
  size: int8,
  created_at: int8,
  completed_at: int8.nullable(),
  kept_at: int8.nullable(),
});
const Sum = z.object({ sum: int8 });
const Id = z.object({ id: z.string() });

const USED = 'SELECT coalesce(sum(size), 0) AS sum FROM blobs WHERE owner = $1';

export class PgBlobIndex implements BlobIndex {
  constructor(private readonly db: PgDatabase) {}

  async reserve(row: Omit<BlobRow, 'completedAt' | 'keptAt'>, quotaBytes: number): Promise<BlobReservation> {
    return this.db.transaction(async (client) => {
      // Read committed: each statement after the lock sees what the previous holder committed.
      await lockUntilCommit(client, LOCK.blobQuota, row.owner);
      if ((await client.query('SELECT 1 FROM blobs WHERE id = $1', [row.id])).rowCount) return 'exists';
      const used = firstRowOf(await client.query(USED, [row.owner]), Sum, 'blob quota')?.sum ?? 0;
      if (used + row.size > quotaBytes) return 'quota_exceeded';
      // The id is not under the owner's lock: another owner may have taken it since.
      const inserted = await client.query(
        'INSERT INTO blobs (id, owner, size, created_at, completed_at) VALUES ($1, $2, $3, $4, NULL) ON CONFLICT (id) DO NOTHING',
        [row.id, row.owner, row.size, row.createdAt],
      );
      return inserted.rowCount === 1 ? 'reserved' : 'exists';
    });
  }

  async get(id: string): Promise<BlobRow | undefined> {
    const result = await this.db.pool.query('SELECT id, owner, size, created_at, completed_at, kept_at FROM blobs WHERE id = $1', [id]);
    const row = firstRowOf(result, Row, 'blob');
    return row && { id: row.id, owner: row.owner, size: row.size, createdAt: row.created_at, completedAt: row.completed_at, keptAt: row.kept_at };
  }

  async complete(id: string, at: number): Promise<void> {
    await this.db.pool.query('UPDATE blobs SET completed_at = $1 WHERE id = $2 AND completed_at IS NULL', [at, id]);
  }

  async keep(id: string, at: number): Promise<boolean> {
    const result = await this.db.pool.query(
      'UPDATE blobs SET kept_at = greatest($1, coalesce(kept_at, 0)) WHERE id = $2 AND completed_at IS NOT NULL',
      [at, id],
    );
    return result.rowCount === 1;
  }

  async remove(id: string): Promise<void> {
    await this.db.pool.query('DELETE FROM blobs WHERE id = $1', [id]);
  }

  async usedBytes(owner: string): Promise<number> {
    return firstRowOf(await this.db.pool.query(USED, [owner]), Sum, 'blob quota')?.sum ?? 0;
  }

  async expired(finishedBefore: number, unfinishedBefore: number, limit: number): Promise<string[]> {
    const result = await this.db.pool.query(
      `SELECT id FROM blobs WHERE completed_at < $1 AND coalesce(kept_at, 0) < $1
       UNION ALL SELECT id FROM blobs WHERE completed_at IS NULL AND created_at < $2 LIMIT $3`,
      [finishedBefore, unfinishedBefore, limit],
    );
    return rowsOf(result, Id, 'blob').map((row) => row.id);
  }
}
