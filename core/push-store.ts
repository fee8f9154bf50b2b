// The app's side of push: the topics this person follows and every push received, in the local
// history database, so the notification center survives restarts.
// Its tables are made by the history's numbered migrations (core/migrations/).
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import type { PushItem, PushSubscription } from '../shared/ipc.js';
import { PushAttachment, type PushMessage } from '../shared/push.js';

interface ItemRow {
  id: string;
  topic: string;
  time: number;
  message: string;
  title: string | null;
  tags: string;
  priority: number;
  click: string | null;
  markdown: number;
  read: number;
  attachment: string | null;
}

const Tags = z.array(z.string());

const toItem = (r: ItemRow): PushItem => ({
  id: r.id,
  topic: r.topic,
  time: r.time,
  message: r.message,
  title: r.title,
  tags: Tags.parse(JSON.parse(r.tags)),
  priority: r.priority,
  click: r.click,
  markdown: r.markdown === 1,
  read: r.read === 1,
  attachment: r.attachment === null ? null : (PushAttachment.safeParse(JSON.parse(r.attachment)).data ?? null),
});

interface SubscriptionRow {
  topic: string;
  muted: number;
  min_priority: number;
  last_id: string | null;
}

const toSubscription = (r: SubscriptionRow): PushSubscription => ({ topic: r.topic, muted: r.muted === 1, minPriority: r.min_priority });

export class PushStore {
  private readonly q;

  constructor(private readonly db: Database.Database) {
    this.q = {
      subscriptions: db.prepare('SELECT * FROM push_subscriptions ORDER BY topic'),
      subscription: db.prepare('SELECT * FROM push_subscriptions WHERE topic = ?'),
      subscribe: db.prepare('INSERT OR IGNORE INTO push_subscriptions (topic) VALUES (?)'),
      unsubscribe: db.prepare('DELETE FROM push_subscriptions WHERE topic = ?'),
      mute: db.prepare('UPDATE push_subscriptions SET muted = ? WHERE topic = ?'),
      minPriority: db.prepare('UPDATE push_subscriptions SET min_priority = ? WHERE topic = ?'),
      lastId: db.prepare('UPDATE push_subscriptions SET last_id = ? WHERE topic = ?'),
      insert: db.prepare(
        `INSERT OR IGNORE INTO push_items (id, topic, time, message, title, tags, priority, click, markdown, attachment)
         VALUES (@id, @topic, @time, @message, @title, @tags, @priority, @click, @markdown, @attachment)`,
      ),
      item: db.prepare('SELECT * FROM push_items WHERE id = ?'),
      list: db.prepare('SELECT * FROM push_items ORDER BY time DESC, rowid DESC LIMIT ?'),
      listTopic: db.prepare('SELECT * FROM push_items WHERE topic = ? ORDER BY time DESC, rowid DESC LIMIT ?'),
      readIds: db.prepare('UPDATE push_items SET read = 1 WHERE id = ? AND read = 0 RETURNING *'),
      readTopic: db.prepare('UPDATE push_items SET read = 1 WHERE topic = ? AND read = 0 RETURNING *'),
      readAll: db.prepare('UPDATE push_items SET read = 1 WHERE read = 0 RETURNING *'),
      remove: db.prepare('DELETE FROM push_items WHERE id = ?'),
      clearTopic: db.prepare('DELETE FROM push_items WHERE topic = ? RETURNING id').pluck(),
      unread: db.prepare('SELECT count(*) FROM push_items WHERE read = 0').pluck(),
    };
  }

  subscriptions(): PushSubscription[] {
    return (this.q.subscriptions.all() as SubscriptionRow[]).map(toSubscription);
  }

  /** Each followed topic with the newest push id received: where the relay is to resume. */
  resumePoints(): { topic: string; after: string | null }[] {
    return (this.q.subscriptions.all() as SubscriptionRow[]).map((r) => ({ topic: r.topic, after: r.last_id }));
  }

  subscription(topic: string): PushSubscription | undefined {
    const row = this.q.subscription.get(topic) as SubscriptionRow | undefined;
    return row && toSubscription(row);
  }

  subscribe(topic: string): PushSubscription {
    this.q.subscribe.run(topic);
    return this.subscription(topic)!;
  }

  /** Stops following a topic; its pushes go too. Returns their ids. */
  unsubscribe(topic: string): string[] {
    return this.db.transaction(() => {
      this.q.unsubscribe.run(topic);
      return this.q.clearTopic.all(topic) as string[];
    })();
  }

  setMuted(topic: string, muted: boolean): PushSubscription | undefined {
    this.q.mute.run(muted ? 1 : 0, topic);
    return this.subscription(topic);
  }

  setMinPriority(topic: string, minPriority: number): PushSubscription | undefined {
    this.q.minPriority.run(minPriority, topic);
    return this.subscription(topic);
  }

  /**
   * Stores a push of a followed topic; undefined for a repeat or a topic no longer followed.
   * `resumeId`: what its server resumes after, when that is not the id it is kept under.
   */
  add(m: PushMessage, resumeId: string = m.id): PushItem | undefined {
    return this.db.transaction(() => {
      if (!this.q.subscription.get(m.topic)) return undefined;
      this.q.lastId.run(resumeId, m.topic);
      const inserted = this.q.insert.run({
        id: m.id,
        topic: m.topic,
        time: m.time,
        message: m.message,
        title: m.title ?? null,
        tags: JSON.stringify(m.tags ?? []),
        priority: m.priority ?? 3,
        click: m.click ?? null,
        markdown: m.content_type === 'text/markdown' ? 1 : 0,
        attachment: m.attachment ? JSON.stringify(m.attachment) : null,
      });
      return inserted.changes === 1 ? toItem(this.q.item.get(m.id) as ItemRow) : undefined;
    })();
  }

  item(id: string): PushItem | undefined {
    const row = this.q.item.get(id) as ItemRow | undefined;
    return row && toItem(row);
  }

  /** The ids of every push kept. */
  ids(): Set<string> {
    return new Set(this.db.prepare('SELECT id FROM push_items').pluck().all() as string[]);
  }

  list(topic: string | undefined, limit: number): PushItem[] {
    const rows = topic ? this.q.listTopic.all(topic, limit) : this.q.list.all(limit);
    return (rows as ItemRow[]).map(toItem);
  }

  /** Marks pushes read; returns those that changed. */
  markRead(which: { ids: string[] } | { topic: string } | { all: true }): PushItem[] {
    return this.db.transaction(() => {
      const rows =
        'ids' in which
          ? which.ids.flatMap((id) => this.q.readIds.all(id) as ItemRow[])
          : 'topic' in which
            ? (this.q.readTopic.all(which.topic) as ItemRow[])
            : (this.q.readAll.all() as ItemRow[]);
      return rows.map(toItem);
    })();
  }

  remove(ids: string[]): string[] {
    return this.db.transaction(() => ids.filter((id) => this.q.remove.run(id).changes > 0))();
  }

  clearTopic(topic: string): string[] {
    return this.q.clearTopic.all(topic) as string[];
  }

  unreadCount(): number {
    return this.q.unread.get() as number;
  }
}
