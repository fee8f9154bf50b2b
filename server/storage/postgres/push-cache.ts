// The push cache in PostgreSQL, shared by every node of a relay: pushes per topic until they
// expire; delayed ones wait here for their time. Ordering is as in SQLite (push_messages.seq).
import type pg from 'pg';
import { z } from 'zod';
import { PushMessage } from '../../push/message.js';
import type { PushCache, PushSince } from '../push-cache.js';
import type { PgDatabase } from './database.js';
import { LOCK, lockUntilCommit } from './locks.js';
import { rowsOf } from './rows.js';

const JsonRow = z.object({ json: z.string() });

function parse(result: pg.QueryResult): PushMessage[] {
  return rowsOf(result, JsonRow, 'cached push').map((row) => PushMessage.parse(JSON.parse(row.json)));
}

// Due (time <= now) and not expired: a delayed message shows once it is due, an old one never.
const DUE = 'topic = ANY($1::text[]) AND time <= $2 AND expires > $2';

export class PgPushCache implements PushCache {
  constructor(private readonly db: PgDatabase) {}

  async storePush(message: PushMessage): Promise<void> {
    await this.db.transaction(async (client) => {
      // A sequence hands out seq at insert, not at commit: unserialized, a node could commit seq 6
      // before another commits seq 5, and a subscriber that caught up to 6 in between would never
      // see 5. Held until commit, this lock makes seq order commit order.
      await lockUntilCommit(client, LOCK.pushOrder);
      await client.query('INSERT INTO push_messages (id, topic, time, expires, json) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING', [
        message.id,
        message.topic,
        message.time,
        message.expires,
        JSON.stringify(message),
      ]);
    });
  }

  async pushes(topics: string[], since: PushSince, nowS: number, limit: number): Promise<PushMessage[]> {
    const { pool } = this.db;
    if ('latest' in since) {
      return parse(await pool.query(`SELECT json FROM push_messages WHERE ${DUE} ORDER BY seq DESC LIMIT 1`, [topics, nowS]));
    }
    if ('afterId' in since) {
      // An id this relay no longer has (expired, or never seen): everything it still has.
      return parse(
        await pool.query(
          `SELECT json FROM push_messages WHERE ${DUE}
           AND seq > coalesce((SELECT seq FROM push_messages WHERE id = $3), 0) ORDER BY seq LIMIT $4`,
          [topics, nowS, since.afterId, limit],
        ),
      );
    }
    return parse(
      await pool.query(`SELECT json FROM push_messages WHERE ${DUE} AND time >= $3 ORDER BY seq LIMIT $4`, [topics, nowS, since.fromTime, limit]),
    );
  }

  async scheduledPushes(nowS: number): Promise<PushMessage[]> {
    return parse(await this.db.pool.query('SELECT json FROM push_messages WHERE time > $1 ORDER BY time, seq', [nowS]));
  }

  async expirePushes(nowS: number): Promise<number> {
    return (await this.db.pool.query('DELETE FROM push_messages WHERE expires <= $1', [nowS])).rowCount ?? 0;
  }
}
