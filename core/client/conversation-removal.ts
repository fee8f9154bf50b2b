// Deleting a whole conversation from this device: its messages with their files (the ciphertexts
// in the profile, a forwarded copy's kept while another message has it), reactions, edits and
// search terms, anything of it still waiting in the outbox, then the conversation itself. A group
// is left first (else its next message would bring it back); a direct chat comes back, empty, with
// the next message either person writes.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { History } from '../history.js';
import { RelayError } from '../relay/error.js';
import type { Emit } from './events.js';

export interface ConversationRemovalDeps {
  db: Database.Database;
  history: Pick<History, 'conversation' | 'durable' | 'dequeue'>;
  /** Deletes one message and what hangs on it (its files, reactions, edits). */
  removeMessage: (messageId: string) => void;
  emit: Emit;
}

export class ConversationRemoval {
  private readonly q;

  constructor(private readonly d: ConversationRemovalDeps) {
    this.q = {
      messageIds: d.db.prepare('SELECT id FROM messages WHERE conversation_id = ?').pluck(),
      conversation: d.db.prepare('DELETE FROM conversations WHERE id = ?'),
    };
  }

  remove(conversationId: string): void {
    const conversation = this.d.history.conversation(conversationId);
    if (!conversation) throw new RelayError('unknown_conversation', 'no such conversation');
    if (conversation.kind === 'group' && conversation.active) throw new RelayError('still_a_member', 'leave the group before deleting it');
    this.d.history.durable(() => {
      for (const id of this.q.messageIds.all(conversationId) as string[]) {
        this.d.history.dequeue(id);
        this.d.removeMessage(id);
      }
      this.q.conversation.run(conversationId);
    });
    this.d.emit('conversationRemoved', conversationId);
  }
}
