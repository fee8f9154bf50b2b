// What the history keeps of the actions on messages (core/migrations/008-message-actions.ts): the
// reactions, the texts an edit replaced, deletions, and the log of the actions received, in order.
// Applying an action is idempotent and keeps the newest: a redelivery, or an older action replayed
// after a newer one, changes nothing.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { ChatMessage, MessageVersion, Reaction } from '../../shared/ipc.js';
import type { Ledger } from '../e2e/ledger.js';

export type MessageActionKind = 'reaction' | 'edit' | 'delete';

/** One action as received (or written here), as the log keeps it and the CLI prints it. */
export interface LoggedAction {
  id: string;
  kind: MessageActionKind;
  target: string;
  conversationId: string;
  sender: string;
  /** The emoji (null: taken away), the new text (null once its message was deleted), or for a deletion 'everyone' or 'me'. */
  value: string | null;
  sentAt: number;
  serverTime: number | null;
}

/** What the log keeps of an action besides its target: the emoji, the new text, or whom a deletion is for. */
export function loggedValue(action: { kind: 'reaction'; emoji: string | null } | { kind: 'edit'; text: string } | { kind: 'delete'; forEveryone: boolean }): string | null {
  if (action.kind === 'reaction') return action.emoji;
  if (action.kind === 'edit') return action.text;
  return action.forEveryone ? 'everyone' : 'me';
}

interface LoggedRow {
  seq: number;
  id: string;
  kind: MessageActionKind;
  target: string;
  conversation_id: string;
  sender: string;
  value: string | null;
  sent_at: number;
  server_time: number | null;
  from_relay: number;
}

export class MessageActionStore {
  private readonly q;

  constructor(
    db: Database.Database,
    private readonly ledger: Pick<Ledger, 'forgetSent'>,
  ) {
    this.q = {
      log: db.prepare(
        `INSERT OR IGNORE INTO message_actions (id, kind, target, conversation_id, sender, value, sent_at, server_time, from_relay)
         VALUES (@id, @kind, @target, @conversationId, @sender, @value, @sentAt, @serverTime, @fromRelay)`,
      ),
      react: db.prepare(
        `INSERT INTO reactions (message_id, reactor, emoji, at) VALUES (?, ?, ?, ?)
         ON CONFLICT (message_id, reactor) DO UPDATE SET emoji = excluded.emoji, at = excluded.at WHERE excluded.at >= reactions.at`,
      ),
      unreact: db.prepare('DELETE FROM reactions WHERE message_id = ? AND reactor = ? AND at <= ?'),
      reactionsOf: db.prepare(
        'SELECT message_id, reactor, emoji FROM reactions WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY at, reactor',
      ),
      edit: db.prepare(
        `UPDATE messages SET text = @text, edited_at = @at
         WHERE id = @id AND deleted_at IS NULL AND (edited_at IS NULL OR edited_at < @at) RETURNING 1`,
      ),
      keepVersion: db.prepare('INSERT INTO message_versions (message_id, text, replaced_at) VALUES (?, ?, ?)'),
      versions: db.prepare('SELECT text, replaced_at FROM message_versions WHERE message_id = ? ORDER BY replaced_at, rowid'),
      empty: db.prepare("UPDATE messages SET text = '', reply_to = NULL, edited_at = NULL, deleted_at = ? WHERE id = ? AND deleted_at IS NULL"),
      remove: db.prepare('DELETE FROM messages WHERE id = ?'),
      forgetVersions: db.prepare('DELETE FROM message_versions WHERE message_id = ?'),
      forgetReactions: db.prepare('DELETE FROM reactions WHERE message_id = ?'),
      forgetEditTexts: db.prepare("UPDATE message_actions SET value = NULL WHERE target = ? AND kind = 'edit' RETURNING id").pluck(),
      forgetQuotes: db.prepare(
        "UPDATE messages SET reply_to = json_set(reply_to, '$.text', '') WHERE reply_to IS NOT NULL AND reply_to ->> '$.id' = ? RETURNING id",
      ).pluck(),
      forgetLogged: db.prepare('DELETE FROM message_actions WHERE target = ?'),
      after: db.prepare('SELECT * FROM message_actions WHERE seq > ? ORDER BY seq LIMIT ?'),
      lastSeq: db.prepare('SELECT coalesce(max(seq), 0) FROM message_actions').pluck(),
    };
  }

  /** Logs an action; false when it is logged already (a redelivery). */
  log(action: LoggedAction, fromRelay: boolean): boolean {
    return this.q.log.run({ ...action, fromRelay: fromRelay ? 1 : 0 }).changes === 1;
  }

  /** Sets (or with null takes away) one person's reaction, unless a newer one of theirs is kept. */
  react(messageId: string, reactor: string, emoji: string | null, at: number): void {
    if (emoji === null) this.q.unreact.run(messageId, reactor, at);
    else this.q.react.run(messageId, reactor, emoji, at);
  }

  /** Replaces a message's text, keeping the one it had; false when a newer edit is kept, or it is deleted. */
  edit(message: Pick<ChatMessage, 'id' | 'text'>, text: string, at: number): boolean {
    if (this.q.edit.get({ id: message.id, text, at }) === undefined) return false;
    this.q.keepVersion.run(message.id, message.text, at);
    return true;
  }

  versions(messageId: string): MessageVersion[] {
    return (this.q.versions.all(messageId) as { text: string; replaced_at: number }[]).map((r) => ({ text: r.text, replacedAt: r.replaced_at }));
  }

  /**
   * Deleted for everyone: the message stays as a line saying so. Its text goes from everywhere it
   * was kept: the message, its versions, the edits' log, the replies' quotes, and the payloads
   * this device sent of it (kept to answer resend requests). Returns the replies whose quote changed.
   */
  empty(messageId: string, at: number): string[] {
    this.q.empty.run(at, messageId);
    this.q.forgetVersions.run(messageId);
    this.q.forgetReactions.run(messageId);
    const replies = this.q.forgetQuotes.all(messageId) as string[];
    const edits = this.q.forgetEditTexts.all(messageId) as string[];
    for (const id of [messageId, ...edits]) this.ledger.forgetSent(id);
    return replies;
  }

  /**
   * Deleted for this person (or its time was up): the message and all that was kept of it go, the
   * payload this device sent of it too (a resend request for it is then answered with nothing).
   */
  remove(messageId: string): void {
    this.q.remove.run(messageId);
    this.q.forgetVersions.run(messageId);
    this.q.forgetReactions.run(messageId);
    this.q.forgetLogged.run(messageId);
    this.ledger.forgetSent(messageId);
  }

  /** Gives each message its reactions (the history's hook: every message read gets them). */
  decorate(messages: ChatMessage[]): void {
    if (messages.length === 0) return;
    const byMessage = new Map<string, Reaction[]>();
    const rows = this.q.reactionsOf.all(JSON.stringify(messages.map((m) => m.id))) as { message_id: string; reactor: string; emoji: string }[];
    for (const row of rows) {
      const list = byMessage.get(row.message_id) ?? [];
      list.push({ from: row.reactor, emoji: row.emoji });
      byMessage.set(row.message_id, list);
    }
    for (const message of messages) {
      const reactions = byMessage.get(message.id);
      if (reactions) message.reactions = reactions;
    }
  }

  /** The logged actions after `seq`, in the order they were stored. */
  after(seq: number, limit: number): { seq: number; action: LoggedAction; fromRelay: boolean }[] {
    return (this.q.after.all(seq, limit) as LoggedRow[]).map((r) => ({
      seq: r.seq,
      fromRelay: r.from_relay === 1,
      action: {
        id: r.id,
        kind: r.kind,
        target: r.target,
        conversationId: r.conversation_id,
        sender: r.sender,
        value: r.value,
        sentAt: r.sent_at,
        serverTime: r.server_time,
      },
    }));
  }

  lastSeq(): number {
    return this.q.lastSeq.get() as number;
  }
}
