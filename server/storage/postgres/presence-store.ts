// Presence in PostgreSQL: contacts (who wrote to whom), last seen, and who hides. Read from the
// database each time (indexed): another node may have just changed any of it. Every send asks
// whom its writer has not written to yet: the asks of a moment go as one statement.
import { z } from 'zod';
import type { PresenceStore } from '../presence-store.js';
import { CallBatches } from './call-batches.js';
import type { PgDatabase } from './database.js';
import { changes, firstRow, int8, refused, rows, type Queryable } from './rows.js';

const Other = z.object({ other: z.string() });
const Username = z.object({ username: z.string() });
const LastSeen = z.object({ at: int8.nullable() });
const Exists = z.object({ exists: z.boolean() });
const Written = z.object({ ask: z.number().int(), other: z.string() });

type Ask = { writer: string; readers: string[] };

export class PgPresenceStore implements PresenceStore {
  private readonly asks = new CallBatches<Ask, string[]>((asks) => this.notWrittenToMany(asks), { running: 1, size: 200 }, refused);

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

  notWrittenTo(writer: string, readers: string[]): Promise<string[]> {
    return this.asks.call({ writer, readers });
  }

  private async notWrittenToMany(asks: readonly Ask[]): Promise<string[][]> {
    const pairs = asks.flatMap((a, i) => a.readers.map((reader) => ({ ask: i + 1, writer: a.writer, reader })));
    const found = await rows(this.db.pool, Written, {
      name: 'presence-written-to-many',
      // A lookup by key per pair (LIMIT keeps the planner from hashing the whole table instead).
      text: `SELECT p.ask, c.other FROM unnest($1::integer[], $2::text[], $3::text[]) AS p(ask, writer, reader)
             CROSS JOIN LATERAL (SELECT k.other FROM contacts AS k WHERE k.username = p.writer AND k.other = p.reader LIMIT 1) AS c`,
      values: [pairs.map((p) => p.ask), pairs.map((p) => p.writer), pairs.map((p) => p.reader)],
    });
    const audiences = asks.map(() => new Set<string>());
    for (const row of found) {
      const audience = audiences[row.ask - 1];
      if (!audience) throw new Error(`presence-written-to-many answered for ask ${row.ask} of ${asks.length}`);
      audience.add(row.other);
    }
    return asks.map((a, i) => a.readers.filter((reader) => reader !== a.writer && !audiences[i]!.has(reader)));
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
