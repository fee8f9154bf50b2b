// The push attachments' index in PostgreSQL (table push_attachments, migration 002), shared by every
// node of a relay. A claim checks the total and inserts under one lock held to commit, so two nodes
// claiming at once cannot both slip under --attachment-total-size-limit.
import { z } from 'zod';
import type { PushAttachmentIndex, PushAttachmentRow } from '../push-attachment-index.js';
import type { PgDatabase } from './database.js';
import { LOCK, lockUntilCommit } from './locks.js';
import { firstRowOf, int8, rowsOf } from './rows.js';

const Row = z.object({ id: z.string(), size: int8, expires: int8 });
const Sum = z.object({ sum: int8 });
const Id = z.object({ id: z.string() });

const TOTAL = 'SELECT coalesce(sum(size), 0) AS sum FROM push_attachments';

export class PgPushAttachmentIndex implements PushAttachmentIndex {
  constructor(private readonly db: PgDatabase) {}

  async claim(row: PushAttachmentRow, totalBytes: number): Promise<boolean> {
    return this.db.transaction(async (client) => {
      // Read committed: the sum after the lock counts what the previous holder committed.
      await lockUntilCommit(client, LOCK.pushAttachmentTotal);
      const total = firstRowOf(await client.query(TOTAL), Sum, 'push attachment total')?.sum ?? 0;
      if (total + row.size > totalBytes) return false;
      await client.query('INSERT INTO push_attachments (id, size, expires) VALUES ($1, $2, $3)', [row.id, row.size, row.expires]);
      return true;
    });
  }

  async get(id: string): Promise<PushAttachmentRow | undefined> {
    return firstRowOf(await this.db.pool.query('SELECT id, size, expires FROM push_attachments WHERE id = $1', [id]), Row, 'push attachment');
  }

  async remove(id: string): Promise<void> {
    await this.db.pool.query('DELETE FROM push_attachments WHERE id = $1', [id]);
  }

  async totalBytes(): Promise<number> {
    return firstRowOf(await this.db.pool.query(TOTAL), Sum, 'push attachment total')?.sum ?? 0;
  }

  async expired(nowS: number, limit: number): Promise<string[]> {
    const result = await this.db.pool.query('SELECT id FROM push_attachments WHERE expires <= $1 ORDER BY expires LIMIT $2', [nowS, limit]);
    return rowsOf(result, Id, 'push attachment').map((row) => row.id);
  }
}
