// Presence in PostgreSQL: contacts (who wrote to whom), last seen, and who hides. Read from the
// database each time (indexed): another node may have just changed any of it.
import { z } from 'zod';
import type { PresenceStore } from '../presence-store.js';
import type { PgDatabase } from './database.js';
import { changes, firstRow, int8, rows, type Queryable } from './rows.js';

const Other = z.object({ other: z.string() });
const Username = z.object({ username: z.string() });
const LastSeen = z.object({ at: int8.nullable() });
const Exists = z.object({ exists: z.boolean() });

export class PgPresenceStore implements PresenceStore {
  constructor(private readonly db: PgDatabase) {}

  /** Whether the account hides; inside the caller's transaction (an ack about to queue a receipt) or not. */
  async isHiddenIn(db: Queryable, username: string): Promise<boolean> {
    const row = await firstRow(db, Exists, {
      name: 'presence-is-hidden',
      text: 'SELECT EXISTS (SELECT 1 FROM hidden WHERE username = $1) AS exists',
      values: [username],
    });
    return row?.exists ?? false;
  }

  /** Inside the caller's transaction (an account reset): its contacts both ways, last seen and hiding. */
  async forgetIn(client: Queryable, username: string): Promise<void> {
    await client.query('DELETE FROM contacts WHERE username = $1 OR other = $1', [username]);
    await client.query('DELETE FROM last_seen WHERE username = $1', [username]);
    await client.query('DELETE FROM hidden WHERE username = $1', [username]);
  }

  async addContacts(writer: string, readers: string[]): Promise<void> {
    const others = readers.filter((reader) => reader !== writer);
    if (others.length === 0) return;
    await this.db.pool.query({
      name: 'presence-add-contacts',
      text: `INSERT INTO contacts (username, other) SELECT $1, other FROM unnest($2::text[]) AS other
             ON CONFLICT DO NOTHING`,
      values: [writer, others],
    });
  }

  async removeContacts(writer: string, readers: string[]): Promise<string[]> {
    const removed = await rows(this.db.pool, Other, {
      text: 'DELETE FROM contacts WHERE username = $1 AND other = ANY($2::text[]) RETURNING other',
      values: [writer, readers],
    });
    const gone = new Set(removed.map((r) => r.other));
    // Each name once, in the order asked, as the SQLite store answers.
    return readers.filter((reader) => gone.delete(reader));
  }

  async audienceOf(username: string): Promise<string[]> {
    const found = await rows(this.db.pool, Other, {
      name: 'presence-audience-of',
      text: 'SELECT other FROM contacts WHERE username = $1 ORDER BY other',
      values: [username],
    });
    return found.map((r) => r.other);
  }

  async notWrittenTo(writer: string, readers: string[]): Promise<string[]> {
    const found = await rows(this.db.pool, Other, {
      name: 'presence-written-to',
      text: 'SELECT other FROM contacts WHERE username = $1 AND other = ANY($2::text[])',
      values: [writer, readers],
    });
    const audience = new Set(found.map((r) => r.other));
    return readers.filter((reader) => reader !== writer && !audience.has(reader));
  }

  async writersTo(username: string): Promise<string[]> {
    const found = await rows(this.db.pool, Username, {
      name: 'presence-writers-to',
      text: 'SELECT username FROM contacts WHERE other = $1 ORDER BY username',
      values: [username],
    });
    return found.map((r) => r.username);
  }

  async setLastSeen(username: string, at: number | null): Promise<void> {
    await this.db.pool.query({
      name: 'presence-set-last-seen',
      text: 'INSERT INTO last_seen (username, at) VALUES ($1, $2) ON CONFLICT (username) DO UPDATE SET at = excluded.at',
      values: [username, at],
    });
  }

  async lastSeen(username: string): Promise<number | null> {
    const row = await firstRow(this.db.pool, LastSeen, {
      name: 'presence-last-seen',
      text: 'SELECT at FROM last_seen WHERE username = $1',
      values: [username],
    });
    return row?.at ?? null;
  }

  async setHidden(username: string, hidden: boolean): Promise<void> {
    await changes(
      this.db.pool,
      hidden
        ? { text: 'INSERT INTO hidden (username) VALUES ($1) ON CONFLICT DO NOTHING', values: [username] }
        : { text: 'DELETE FROM hidden WHERE username = $1', values: [username] },
    );
  }

  async isHidden(username: string): Promise<boolean> {
    return this.isHiddenIn(this.db.pool, username);
  }
}
