// The local history: conversations, messages and the outbox in SQLite (WAL), encrypted with the
// profile's history key (vault/). A received message is written here before the relay is told to
// delete it; a message to send is written here first.
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import type { ChatMessage, Conversation, MessageState } from '../shared/ipc.js';
import { CONVERSATIONS, NEWEST_FIRST, ORDER, toConversation, toMessage, type ConversationRow, type MessageRow } from './history-rows.js';
import { MESSAGE_STATE_PROGRESS } from '../shared/message-state.js';
import { HISTORY_MIGRATIONS } from './migrations/history-migrations.js';
import { migrate } from '../shared/sqlite-migrations.js';
import { registerSearchTerms } from './search/terms.js';
import { openEncrypted } from './vault/cipher.js';
import type { HistoryKey } from './vault/history-key.js';
import { lockProfile } from './vault/profile-lock.js';

const MAX_HELD = 5000;

export interface OutboxEntry {
  seq: number;
  messageId: string;
  recipients: string[];
  /** The sealed payload's JSON. */
  payload: string;
  /** Sealed for this one device only; over a new session when `fresh`. */
  device: string | null;
  fresh: boolean;
}

export interface ConversationInit {
  id: string;
  kind: 'direct' | 'group';
  title: string;
  members: string[];
}

/**
 * The newest `@limit` of two runs (the unsent messages, then the sent ones; rows with `r` as their
 * rowid), oldest first: each run is walked newest first off the index, so nothing is sorted but
 * the page itself.
 */
function newestPage(unsent: string, sent: string): string {
  const newestFirst = NEWEST_FIRST.replace('rowid', 'r');
  return `SELECT * FROM (SELECT * FROM (
      SELECT * FROM (${unsent} ORDER BY r DESC LIMIT @limit)
      UNION ALL
      SELECT * FROM (${sent} ORDER BY server_time DESC, r DESC LIMIT @limit)
    ) ORDER BY ${newestFirst} LIMIT @limit) ORDER BY ${ORDER.replace('rowid', 'r')}`;
}

/** The oldest `@limit` of the same two runs (the sent ones, then the unsent), each walked oldest first. */
function oldestPage(sent: string, unsent: string): string {
  return `SELECT * FROM (
      SELECT * FROM (${sent} ORDER BY server_time, r LIMIT @limit)
      UNION ALL
      SELECT * FROM (${unsent} ORDER BY r LIMIT @limit)
    ) ORDER BY ${ORDER.replace('rowid', 'r')} LIMIT @limit`;
}

export class History {
  private readonly db: Database.Database;
  private readonly q;
  private readonly unlockProfile: () => void;
  /** Adds what other stores keep of a message (its attachments) to every message read. */
  private decorate: (messages: ChatMessage[]) => void = () => undefined;

  /**
   * Throws WrongKeyError when the key does not open the file; a plaintext file is encrypted first.
   * Its folder is this process's while the history is open (ProfileInUseError otherwise). An older
   * schema is migrated in place; a newer one is refused (SchemaTooNewError) and left as it was.
   */
  constructor(file: string, key: HistoryKey) {
    this.unlockProfile = lockProfile(path.dirname(file));
    try {
      this.db = openEncrypted(file, key);
    } catch (err) {
      this.unlockProfile();
      throw err;
    }
    try {
      this.prepareSchema(file);
    } catch (err) {
      this.close();
      throw err;
    }
    const db = this.db;
    this.q = {
      insertConversation: db.prepare(
        'INSERT OR IGNORE INTO conversations (id, kind, title, members, active, created_at) VALUES (?, ?, ?, ?, 1, ?)',
      ),
      updateGroup: db.prepare('UPDATE conversations SET title = ?, members = ?, active = ? WHERE id = ?'),
      setTimer: db.prepare('UPDATE conversations SET expires_in = ? WHERE id = ?'),
      expired: db.prepare('SELECT id, conversation_id FROM messages WHERE expires_at <= ? ORDER BY expires_at LIMIT 500'),
      insertMessage: db.prepare(
        `INSERT OR IGNORE INTO messages (id, conversation_id, sender, outgoing, kind, text, event, sent_at, server_time, state, read, from_relay, reply_to, expires_in, expires_at, forwarded)
         VALUES (@id, @conversationId, @sender, @outgoing, @kind, @text, @event, @sentAt, @serverTime, @state, @read, @fromRelay, @replyTo, @expiresIn, @expiresAt, @forwarded)`,
      ),
      message: db.prepare('SELECT * FROM messages WHERE id = ?'),
      setSent: db.prepare('UPDATE messages SET server_time = ?, state = ? WHERE id = ?'),
      setState: db.prepare('UPDATE messages SET state = ? WHERE id = ?'),
      conversations: db.prepare(CONVERSATIONS),
      conversationById: db.prepare(`${CONVERSATIONS} WHERE c.id = ?`),
      members: db.prepare('SELECT members FROM conversations WHERE id = ?').pluck(),
      // A page of history: the unsent (newest) and the sent, each read in order off the
      // conversation's index (whose last column is the rowid), then merged. One ORDER BY over
      // both sorted the whole conversation for every page: 150 ms and more at 100,000 messages.
      latest: db.prepare(
        newestPage(
          `SELECT rowid AS r, * FROM messages WHERE conversation_id = @conversationId AND server_time IS NULL`,
          `SELECT rowid AS r, * FROM messages WHERE conversation_id = @conversationId AND server_time IS NOT NULL`,
        ),
      ),
      before: db.prepare(
        `WITH a AS (SELECT server_time IS NULL AS n, coalesce(server_time, 0) AS t, rowid AS ar FROM messages WHERE id = @before) ` +
          newestPage(
            `SELECT m.rowid AS r, m.* FROM a, messages m
               WHERE m.conversation_id = @conversationId AND m.server_time IS NULL AND a.n = 1 AND m.rowid < a.ar`,
            `SELECT m.rowid AS r, m.* FROM a, messages m
               WHERE m.conversation_id = @conversationId AND m.server_time IS NOT NULL
                 AND m.server_time <= iif(a.n = 1, 9e18, a.t) AND (a.n = 1 OR m.server_time < a.t OR m.rowid < a.ar)`,
          ),
      ),
      // A message and those after it, off the same index: opening a search result far back in a
      // long conversation sorted all of it otherwise.
      fromOn: db.prepare(
        `WITH a AS (SELECT server_time IS NULL AS n, coalesce(server_time, 0) AS t, rowid AS ar FROM messages WHERE id = @at AND conversation_id = @conversationId) ` +
          oldestPage(
            `SELECT m.rowid AS r, m.* FROM a, messages m
               WHERE m.conversation_id = @conversationId AND m.server_time IS NOT NULL
                 AND a.n = 0 AND m.server_time >= a.t AND (m.server_time > a.t OR m.rowid >= a.ar)`,
            `SELECT m.rowid AS r, m.* FROM a, messages m
               WHERE m.conversation_id = @conversationId AND m.server_time IS NULL AND (a.n = 0 OR m.rowid >= a.ar)`,
          ),
      ),
      // Every incoming unread message, on the partial index: counted on every change, so no join.
      unreadCount: db.prepare('SELECT count(*) FROM messages WHERE outgoing = 0 AND read = 0').pluck(),
      unreadIds: db.prepare('SELECT id FROM messages WHERE conversation_id = ? AND outgoing = 0 AND read = 0').pluck(),
      // Read: a disappearing message's clock starts.
      markRead: db.prepare(
        'UPDATE messages SET read = 1, expires_at = @now + expires_in WHERE conversation_id = @id AND outgoing = 0 AND read = 0',
      ),
      markOneRead: db.prepare('UPDATE messages SET read = 1, expires_at = @now + expires_in WHERE id = @id AND outgoing = 0 AND read = 0'),
      enqueue: db.prepare('INSERT OR IGNORE INTO outbox (message_id, recipients, payload, device, fresh) VALUES (?, ?, ?, ?, ?)'),
      outboxAfter: db.prepare('SELECT seq, message_id, recipients, payload, device, fresh FROM outbox WHERE seq > ? ORDER BY seq LIMIT 1'),
      removePlaceholder: db.prepare(
        "DELETE FROM messages WHERE id = ? AND kind = 'undecryptable' RETURNING conversation_id",
      ).pluck(),
      dequeue: db.prepare('DELETE FROM outbox WHERE message_id = ?'),
      inOutbox: db.prepare('SELECT 1 FROM outbox WHERE message_id = ?').pluck(),
      hold: db.prepare('INSERT OR IGNORE INTO held (message_id, group_id, payload, server_time) VALUES (?, ?, ?, ?)'),
      trimHeld: db.prepare('DELETE FROM held WHERE rowid IN (SELECT rowid FROM held ORDER BY rowid DESC LIMIT -1 OFFSET ?)'),
      takeHeld: db.prepare('DELETE FROM held WHERE group_id = ? RETURNING payload, server_time'),
      after: db.prepare('SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?'),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM messages').pluck(),
      setting: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
      setSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'),
    };
  }

  /** Runs fn in one transaction: many received messages cost one commit. */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * One transaction that survives a power cut once it returns: what is acked to the relay right
   * after (received messages), or what a person just wrote (the outbox).
   */
  durable<T>(fn: () => T): T {
    if (this.db.inTransaction) return this.batch(fn);
    this.db.pragma('synchronous = FULL');
    try {
      return this.batch(fn);
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  ensureConversation(init: ConversationInit, now: number): void {
    this.q.insertConversation.run(init.id, init.kind, init.title, JSON.stringify(init.members), now);
  }

  updateGroup(id: string, title: string, members: string[], active: boolean): void {
    this.q.updateGroup.run(title, JSON.stringify(members), active ? 1 : 0, id);
  }

  /** The conversation's disappearing-messages timer (ms), or null for off. */
  setTimer(id: string, expiresIn: number | null): void {
    this.q.setTimer.run(expiresIn, id);
  }

  /** Messages whose time is up at `now`, the soonest first (a batch of them). */
  expired(now: number): { id: string; conversationId: string }[] {
    return (this.q.expired.all(now) as { id: string; conversation_id: string }[]).map((r) => ({ id: r.id, conversationId: r.conversation_id }));
  }

  /**
   * False when a message with this id is already stored (a redelivery). `fromRelay`: it came through
   * the relay, rather than being written by this device.
   */
  addMessage(m: ChatMessage, opts: { read: boolean; fromRelay: boolean }): boolean {
    const info = this.q.insertMessage.run({
      ...m,
      outgoing: m.outgoing ? 1 : 0,
      event: m.event ? JSON.stringify(m.event) : m.timerChange ? JSON.stringify({ timer: m.timerChange.expiresIn, actor: m.timerChange.actor }) : null,
      expiresIn: m.expiresIn ?? null,
      expiresAt: m.expiresAt ?? null,
      replyTo: m.replyTo ? JSON.stringify(m.replyTo) : null,
      forwarded: m.forwarded ? 1 : 0,
      read: opts.read ? 1 : 0,
      fromRelay: opts.fromRelay ? 1 : 0,
    });
    return info.changes === 1;
  }

  message(id: string): ChatMessage | undefined {
    const row = this.q.message.get(id) as MessageRow | undefined;
    return row ? this.decorated([toMessage(row)])[0] : undefined;
  }

  /** Sets the hook that completes messages as they are read (core/attachments/attachment-store.ts). */
  decorateMessages(fn: (messages: ChatMessage[]) => void): void {
    this.decorate = fn;
  }

  private decorated(messages: ChatMessage[]): ChatMessage[] {
    this.decorate(messages);
    return messages;
  }

  markSent(id: string, serverTime: number): ChatMessage | undefined {
    const current = this.message(id);
    if (!current) return undefined;
    const state = MESSAGE_STATE_PROGRESS[current.state] > MESSAGE_STATE_PROGRESS.sent ? current.state : 'sent';
    this.q.setSent.run(serverTime, state, id);
    return this.message(id);
  }

  /** Moves a message's state forward; returns the message when it changed. */
  advance(id: string, state: MessageState): ChatMessage | undefined {
    const current = this.message(id);
    if (!current || MESSAGE_STATE_PROGRESS[current.state] >= MESSAGE_STATE_PROGRESS[state]) return undefined;
    this.q.setState.run(state, id);
    return { ...current, state };
  }

  markFailed(id: string): ChatMessage | undefined {
    const current = this.message(id);
    if (!current || current.state !== 'sending') return undefined;
    this.q.setState.run('failed', id);
    return { ...current, state: 'failed' };
  }

  enqueue(messageId: string, recipients: string[], payload: string, only?: { device: string; fresh: boolean }): void {
    this.q.enqueue.run(messageId, JSON.stringify(recipients), payload, only?.device ?? null, only?.fresh ? 1 : 0);
  }

  outboxHead(): OutboxEntry | undefined {
    return this.outboxAfter(0);
  }

  /** The entry written next after the one at `seq`: what the outbox sends behind those on their way. */
  outboxAfter(seq: number): OutboxEntry | undefined {
    const row = this.q.outboxAfter.get(seq) as
      | { seq: number; message_id: string; recipients: string; payload: string; device: string | null; fresh: number }
      | undefined;
    return (
      row && {
        seq: row.seq,
        messageId: row.message_id,
        recipients: z.array(z.string()).parse(JSON.parse(row.recipients)),
        payload: row.payload,
        device: row.device,
        fresh: row.fresh === 1,
      }
    );
  }

  /** Deletes the placeholder of a message that could not be decrypted; returns its conversation. */
  removePlaceholder(id: string): string | undefined {
    return this.q.removePlaceholder.get(id) as string | undefined;
  }

  dequeue(messageId: string): void {
    this.q.dequeue.run(messageId);
  }

  /** The payload with this id is still waiting to be sent. */
  inOutbox(messageId: string): boolean {
    return this.q.inOutbox.get(messageId) !== undefined;
  }

  conversations(): Conversation[] {
    return (this.q.conversations.all() as ConversationRow[]).map(toConversation).sort((x, y) => y.updatedAt - x.updatedAt);
  }

  conversation(id: string): Conversation | undefined {
    const row = this.q.conversationById.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  /** A conversation's members, or undefined when there is none: without the unread count and last message `conversation` reads. */
  members(id: string): string[] | undefined {
    const members = this.q.members.get(id) as string | undefined;
    return members === undefined ? undefined : (JSON.parse(members) as string[]);
  }

  messages(conversationId: string, limit: number, before?: string): ChatMessage[] {
    const rows = before
      ? this.q.before.all({ conversationId, before, limit })
      : this.q.latest.all({ conversationId, limit });
    return this.decorated((rows as MessageRow[]).map(toMessage));
  }

  /** About `limit` messages with `id` in their middle, oldest first; none when `id` is not in the conversation. */
  messagesAround(conversationId: string, id: string, limit: number): ChatMessage[] {
    const from = this.q.fromOn.all({ conversationId, at: id, limit: limit - Math.floor(limit / 2) }) as MessageRow[];
    if (from.length === 0) return [];
    const before = this.q.before.all({ conversationId, before: id, limit: Math.floor(limit / 2) }) as MessageRow[];
    return this.decorated([...before, ...from].map(toMessage));
  }

  /**
   * Every stored message whose receive sequence is above `seq`, in the order they were stored: a
   * reader that keeps the last seq it saw as a cursor finds each message once, even one stored in
   * place of a deleted placeholder (a seq is never reused).
   */
  messagesAfter(seq: number, limit: number): { seq: number; message: ChatMessage; fromRelay: boolean }[] {
    const rows = this.q.after.all(seq, limit) as MessageRow[];
    const messages = this.decorated(rows.map(toMessage));
    return rows.map((r, i) => ({ seq: r.seq, message: messages[i]!, fromRelay: r.from_relay === 1 }));
  }

  /** The receive sequence of the newest stored message; 0 when there is none. */
  lastMessageSeq(): number {
    return this.q.lastSeq.get() as number;
  }

  /** Marks the conversation's incoming messages read; returns the ids that were unread. */
  markRead(conversationId: string): string[] {
    return this.batch(() => {
      const ids = this.q.unreadIds.all(conversationId) as string[];
      if (ids.length > 0) this.q.markRead.run({ id: conversationId, now: Date.now() });
      return ids;
    });
  }

  /** Unread incoming messages in all conversations (the tray and badge count). */
  unreadCount(): number {
    return this.q.unreadCount.get() as number;
  }

  /** Marks these incoming messages read (read on another device); returns how many changed. */
  markMessagesRead(ids: string[]): number {
    const now = Date.now();
    return this.batch(() => ids.reduce((n, id) => n + this.q.markOneRead.run({ id, now }).changes, 0));
  }

  /**
   * Keeps a payload until what it needs arrives (`waitingFor`: a group's id, or the id of the message
   * an action is about). At most MAX_HELD: a stranger cannot fill the disk with made-up ids.
   */
  hold(waitingFor: string, messageId: string, payload: string, serverTime: number): void {
    this.q.hold.run(messageId, waitingFor, payload, serverTime);
    this.q.trimHeld.run(MAX_HELD);
  }

  /** The payloads held for this group or message, oldest first, removed from the store. */
  takeHeld(waitingFor: string): { payload: string; serverTime: number }[] {
    const rows = this.q.takeHeld.all(waitingFor) as { payload: string; server_time: number }[];
    return rows.map((r) => ({ payload: r.payload, serverTime: r.server_time })).sort((a, b) => a.serverTime - b.serverTime);
  }

  setting(key: string): string | undefined {
    return this.q.setting.get(key) as string | undefined;
  }

  setSetting(key: string, value: string): void {
    this.q.setSetting.run(key, value);
  }

  /** For the stores whose tables are in this database too (keys, sessions, pushes): the migrations make them all. */
  get database(): Database.Database {
    return this.db;
  }

  private prepareSchema(file: string): void {
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // What is deleted (a message deleted for everyone, an edit's old text) is overwritten, not
    // left in free pages for anyone with the file and its key.
    this.db.pragma('secure_delete = ON');
    // The search index's triggers call it on every message written.
    registerSearchTerms(this.db);
    // Before anything else writes to the file: a history from a newer Warbler is left as it was.
    migrate(this.db, file, HISTORY_MIGRATIONS);
    this.db.pragma('journal_mode = WAL');
    // NORMAL by default: a commit lost to a power cut is redone (a send is idempotent, a receipt
    // comes again). What must survive one goes through durable(), which syncs the WAL.
    this.db.pragma('synchronous = NORMAL');
  }

  close(): void {
    this.db.close();
    this.unlockProfile();
  }
}
