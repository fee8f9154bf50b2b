// The push cache in SQLite: pushes per topic until they expire; delayed ones wait here for their time.
import type Database from 'better-sqlite3-multiple-ciphers';
import { PushMessage } from '../../push/message.js';
import type { PushCache, PushSince } from '../push-cache.js';
import type { GroupCommit } from './group-commit.js';

function statements(db: Database.Database) {
  return {
    insert: db.prepare('INSERT OR IGNORE INTO push_messages (id, topic, time, expires, json) VALUES (?, ?, ?, ?, ?)'),
    seqOf: db.prepare('SELECT seq FROM push_messages WHERE id = ?').pluck(),
    // Due (time <= now) and not expired: a delayed message shows once it is due, an old one never.
    latest: db
      .prepare(
        `SELECT json FROM push_messages WHERE topic IN (SELECT value FROM json_each(@topics))
         AND time <= @now AND expires > @now ORDER BY seq DESC LIMIT 1`,
      )
      .pluck(),
    after: db
      .prepare(
        `SELECT json FROM push_messages WHERE topic IN (SELECT value FROM json_each(@topics))
         AND seq > @after AND time <= @now AND expires > @now ORDER BY seq LIMIT @limit`,
      )
      .pluck(),
    from: db
      .prepare(
        `SELECT json FROM push_messages WHERE topic IN (SELECT value FROM json_each(@topics))
         AND time >= @from AND time <= @now AND expires > @now ORDER BY seq LIMIT @limit`,
      )
      .pluck(),
    scheduled: db.prepare('SELECT json FROM push_messages WHERE time > ? ORDER BY time').pluck(),
    expire: db.prepare('DELETE FROM push_messages WHERE expires <= ?'),
  };
}

const parse = (json: string): PushMessage => PushMessage.parse(JSON.parse(json));

export class SqlitePushCache implements PushCache {
  private readonly q: ReturnType<typeof statements>;

  constructor(
    db: Database.Database,
    private readonly writes: GroupCommit,
  ) {
    this.q = statements(db);
  }

  storePush(message: PushMessage): Promise<void> {
    return this.writes.write(() => {
      this.q.insert.run(message.id, message.topic, message.time, message.expires, JSON.stringify(message));
    });
  }

  async pushes(topics: string[], since: PushSince, nowS: number, limit: number): Promise<PushMessage[]> {
    const params = { topics: JSON.stringify(topics), now: nowS, limit, after: 0, from: 0 };
    let query: Database.Statement;
    if ('latest' in since) {
      query = this.q.latest;
    } else if ('afterId' in since) {
      // An id this relay no longer has (expired, or never seen): everything it still has.
      params.after = (this.q.seqOf.get(since.afterId) as number | undefined) ?? 0;
      query = this.q.after;
    } else {
      params.from = since.fromTime;
      query = this.q.from;
    }
    return (query.all(params) as string[]).map(parse);
  }

  async scheduledPushes(nowS: number): Promise<PushMessage[]> {
    return (this.q.scheduled.all(nowS) as string[]).map(parse);
  }

  async expirePushes(nowS: number): Promise<number> {
    return this.q.expire.run(nowS).changes;
  }
}
