// The local history: conversations and messages in SQLite (WAL). A received message is written
// here before the relay is told to delete it.
import Database from 'better-sqlite3-multiple-ciphers';
import type { ChatMessage, Conversation, MessageState } from '../../shared/ipc.js';
import { MESSAGE_STATE_PROGRESS } from '../../shared/message-state.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS conversations (
  id         TEXT PRIMARY KEY,
  title      TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS messages (
  id              TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  sender          TEXT NOT NULL,
  outgoing        INTEGER NOT NULL,
  text            TEXT NOT NULL,
  sent_at         INTEGER NOT NULL,
  server_time     INTEGER,
  state           TEXT NOT NULL,
  read            INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, server_time);
CREATE INDEX IF NOT EXISTS messages_unread ON messages(conversation_id, read) WHERE outgoing = 0;
CREATE INDEX IF NOT EXISTS messages_outbox ON messages(state) WHERE state = 'sending';
`;

// Relay order; a message still being sent goes last, in the order it was written.
const ORDER = 'server_time IS NULL, server_time, rowid';
const NEWEST_FIRST = 'server_time IS NULL DESC, server_time DESC, rowid DESC';

// The newest message is the newest unsent one, else the newest by relay time: two index lookups
// instead of sorting the whole conversation on every update.
const CONVERSATIONS = `
  SELECT c.id, c.title, c.created_at,
    (SELECT count(*) FROM messages u WHERE u.conversation_id = c.id AND u.outgoing = 0 AND u.read = 0) AS unread,
    m.text AS last_text, m.outgoing AS last_outgoing, coalesce(m.server_time, m.sent_at) AS last_at
  FROM conversations c
  LEFT JOIN messages m ON m.rowid = coalesce(
    (SELECT rowid FROM messages WHERE conversation_id = c.id AND server_time IS NULL ORDER BY rowid DESC LIMIT 1),
    (SELECT rowid FROM messages WHERE conversation_id = c.id AND server_time IS NOT NULL
       ORDER BY server_time DESC, rowid DESC LIMIT 1))`;

interface ConversationRow {
  id: string;
  title: string;
  created_at: number;
  unread: number;
  last_text: string | null;
  last_outgoing: number | null;
  last_at: number | null;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  title: r.title,
  unread: r.unread,
  updatedAt: r.last_at ?? r.created_at,
  lastMessage: r.last_text === null ? null : { text: r.last_text, outgoing: r.last_outgoing === 1, at: r.last_at ?? 0 },
});

interface MessageRow {
  id: string;
  conversation_id: string;
  sender: string;
  outgoing: number;
  text: string;
  sent_at: number;
  server_time: number | null;
  state: MessageState;
}

const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  conversationId: r.conversation_id,
  sender: r.sender,
  outgoing: r.outgoing === 1,
  text: r.text,
  sentAt: r.sent_at,
  serverTime: r.server_time,
  state: r.state,
});


export type NewMessage = Omit<ChatMessage, 'state'> & { state: MessageState };

export class History {
  private readonly db: Database.Database;
  private readonly q;

  constructor(file: string) {
    const nativeBinding = process.env.WARBLER_SQLITE_BINDING;
    this.db = new Database(file, nativeBinding ? { nativeBinding } : {});
    this.db.pragma('journal_mode = WAL');
    // A message is acked (and so deleted from the relay) right after this commit: it must survive a power cut.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(SCHEMA);
    const db = this.db;
    this.q = {
      ensureConversation: db.prepare('INSERT OR IGNORE INTO conversations (id, title, created_at) VALUES (?, ?, ?)'),
      insertMessage: db.prepare(
        `INSERT OR IGNORE INTO messages (id, conversation_id, sender, outgoing, text, sent_at, server_time, state, read)
         VALUES (@id, @conversationId, @sender, @outgoing, @text, @sentAt, @serverTime, @state, @read)`,
      ),
      message: db.prepare('SELECT * FROM messages WHERE id = ?'),
      setSent: db.prepare('UPDATE messages SET server_time = ?, state = ? WHERE id = ?'),
      setState: db.prepare('UPDATE messages SET state = ? WHERE id = ?'),
      oldestOutgoing: db.prepare(`SELECT * FROM messages WHERE state = 'sending' ORDER BY rowid LIMIT 1`),
      conversations: db.prepare(CONVERSATIONS),
      conversationById: db.prepare(`${CONVERSATIONS} WHERE c.id = ?`),
      latest: db.prepare(
        `SELECT * FROM (SELECT rowid AS r, * FROM messages WHERE conversation_id = ?
           ORDER BY ${NEWEST_FIRST} LIMIT ?) ORDER BY ${ORDER.replace('rowid', 'r')}`,
      ),
      before: db.prepare(
        `SELECT * FROM (SELECT rowid AS r, * FROM messages
           WHERE conversation_id = @conversationId
             AND (server_time IS NULL, coalesce(server_time, 0), rowid)
               < (SELECT server_time IS NULL, coalesce(server_time, 0), rowid FROM messages WHERE id = @before)
           ORDER BY ${NEWEST_FIRST} LIMIT @limit) ORDER BY ${ORDER.replace('rowid', 'r')}`,
      ),
      markRead: db.prepare('UPDATE messages SET read = 1 WHERE conversation_id = ? AND outgoing = 0 AND read = 0'),
    };
  }

  /** Runs fn in one transaction: many received messages cost one commit. */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  ensureConversation(id: string, now: number): void {
    this.q.ensureConversation.run(id, id, now);
  }

  /** False when a message with this id is already stored (a redelivery). */
  addMessage(m: NewMessage, opts: { read: boolean }): boolean {
    this.ensureConversation(m.conversationId, m.serverTime ?? m.sentAt);
    const info = this.q.insertMessage.run({ ...m, outgoing: m.outgoing ? 1 : 0, read: opts.read ? 1 : 0 });
    return info.changes === 1;
  }

  message(id: string): ChatMessage | undefined {
    const row = this.q.message.get(id) as MessageRow | undefined;
    return row ? toMessage(row) : undefined;
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

  oldestOutgoing(): ChatMessage | undefined {
    const row = this.q.oldestOutgoing.get() as MessageRow | undefined;
    return row ? toMessage(row) : undefined;
  }

  conversations(): Conversation[] {
    return (this.q.conversations.all() as ConversationRow[]).map(toConversation).sort((x, y) => y.updatedAt - x.updatedAt);
  }

  conversation(id: string): Conversation | undefined {
    const row = this.q.conversationById.get(id) as ConversationRow | undefined;
    return row ? toConversation(row) : undefined;
  }

  messages(conversationId: string, limit: number, before?: string): ChatMessage[] {
    const rows = before
      ? this.q.before.all({ conversationId, before, limit })
      : this.q.latest.all(conversationId, limit);
    return (rows as MessageRow[]).map(toMessage);
  }

  markRead(conversationId: string): number {
    return this.q.markRead.run(conversationId).changes;
  }

  close(): void {
    this.db.close();
  }
}
