// Deleting a whole conversation: its messages with their files (the ciphertexts in the profile, a
// forwarded copy's kept while another message has it), reactions, edits and search terms, anything
// of it still waiting in the outbox, then the conversation itself. A group is left first (else its
// next message would bring it back); a direct chat comes back, empty, with the next message either
// person writes.
//
// The deletion goes to this account's other devices as "everything up to what I held": each
// deletes the messages the relay stamped no later than the newest one the deleting device had, so
// a message that reached another device first, after the deletion, stays there (Signal's rule).
import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type { Conversation } from '../../shared/ipc.js';
import type { ConversationRemovedPayload } from '../../shared/payload.js';
import { MAX_NEWEST_REMOVED } from '../../shared/payload.js';
import type { History } from '../history.js';
import { RelayError } from '../relay/error.js';
import { chatRefOf } from './conversations.js';
import type { Emit } from './events.js';
import type { Outbox } from './outbox.js';
import type { Outcome } from './payloads.js';

export interface ConversationRemovalDeps {
  me: string;
  db: Database.Database;
  history: Pick<History, 'conversation' | 'durable' | 'dequeue'>;
  outbox: Pick<Outbox, 'add' | 'flushSoon'>;
  /** Deletes one message and what hangs on it (its files, reactions, edits). */
  removeMessage: (messageId: string) => void;
  /** Told of a conversation about to go, inside the deletion's transaction. */
  deleting: (conversation: Conversation, at: number) => void;
  emit: Emit;
}

export class ConversationRemoval {
  private readonly q;

  constructor(private readonly d: ConversationRemovalDeps) {
    const db = d.db;
    this.q = {
      messageIds: db.prepare('SELECT id FROM messages WHERE conversation_id = ?').pluck(),
      // Stamped by the relay: what this device has sent or received (an unsent message has no stamp).
      newest: db.prepare(
        'SELECT id, server_time FROM messages WHERE conversation_id = ? AND server_time IS NOT NULL ORDER BY server_time DESC, seq DESC LIMIT ?',
      ),
      stampOf: db.prepare('SELECT max(server_time) FROM messages WHERE conversation_id = ? AND id IN (SELECT value FROM json_each(?))').pluck(),
      stampedUpTo: db.prepare('SELECT id FROM messages WHERE conversation_id = ? AND server_time <= ?').pluck(),
      left: db.prepare('SELECT count(*) FROM messages WHERE conversation_id = ?').pluck(),
      conversation: db.prepare('DELETE FROM conversations WHERE id = ?'),
    };
  }

  /** Deletes the conversation here, and on this account's other devices. */
  remove(conversationId: string): void {
    const conversation = this.d.history.conversation(conversationId);
    if (!conversation) throw new RelayError('unknown_conversation', 'no such conversation');
    if (conversation.kind === 'group' && conversation.active) throw new RelayError('still_a_member', 'leave the group before deleting it');
    const newest = this.q.newest.all(conversationId, MAX_NEWEST_REMOVED) as { id: string; server_time: number }[];
    this.d.history.durable(() => {
      for (const id of this.q.messageIds.all(conversationId) as string[]) {
        this.d.history.dequeue(id);
        this.d.removeMessage(id);
      }
      this.d.deleting(conversation, Date.now());
      this.q.conversation.run(conversationId);
      this.d.outbox.add([this.d.me], {
        kind: 'conversation-removed',
        chat: chatRefOf(conversationId),
        upTo: newest[0]?.server_time ?? 0,
        newest: newest.map((m) => m.id),
      });
    });
    this.d.outbox.flushSoon();
    this.d.emit('conversationRemoved', conversationId);
  }

  /**
   * The deletion from this account's other device. What came after what it held stays, and keeps
   * the conversation; nothing left, the conversation goes too (a group only once left here as well).
   * Runs inside a history transaction.
   */
  receive(payload: z.infer<typeof ConversationRemovedPayload>, serverTime: number): Outcome[] {
    if (payload.from !== this.d.me) return [];
    const conversationId = payload.chat.type === 'group' ? payload.chat.id : payload.chat.peer;
    const conversation = this.d.history.conversation(conversationId);
    if (!conversation) return [];
    // Its copies here may be stamped a moment later than there (sent to each device in turn).
    const heldThere = (this.q.stampOf.get(conversationId, JSON.stringify(payload.newest)) as number | null) ?? 0;
    const upTo = Math.max(payload.upTo, heldThere);
    for (const id of this.q.stampedUpTo.all(conversationId, upTo) as string[]) this.d.removeMessage(id);
    const keep = (this.q.left.get(conversationId) as number) > 0 || (conversation.kind === 'group' && conversation.active);
    if (!keep) {
      this.d.deleting(conversation, serverTime);
      this.q.conversation.run(conversationId);
    }
    return [{ conversationRemoved: conversationId, kept: keep }];
  }
}
