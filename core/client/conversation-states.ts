// How a person keeps each conversation: pinned (four at most, on top), archived (out of the list
// until a message comes, unless muted), muted until a time, marked unread (until opened). A change
// goes to this account's other devices as the whole state, the newest applied; the draft (what was
// typed and not sent) stays on this device.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import type { Conversation } from '../../shared/ipc.js';
import type { ConversationState, ConversationStatePayload } from '../../shared/payload.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import { RelayError } from '../relay/error.js';
import { chatRefOf, directConversation, type Conversations } from './conversations.js';
import type { Outbox } from './outbox.js';
import type { Outcome } from './payloads.js';

/** Signal's limit: more pinned would no longer be "on top". */
export const MAX_PINNED = 4;
/** A draft is kept whole up to the longest message. */
const MAX_DRAFT_CHARS = 65_536;

export interface ConversationStateDeps {
  me: string;
  db: Database.Database;
  history: Pick<History, 'conversation' | 'durable' | 'batch' | 'ensureConversation'>;
  conversations: Pick<Conversations, 'announceConversation'>;
  outbox: Pick<Outbox, 'add' | 'flushSoon'>;
}

export class ConversationStates {
  private readonly q;

  constructor(private readonly d: ConversationStateDeps) {
    const db = d.db;
    this.q = {
      // Only what is newer than the state applied last: a change arriving late changes nothing. A pin
      // comes after every earlier one, even within the same millisecond: their order is the list's.
      set: db.prepare(
        `UPDATE conversations SET
           pinned_at = CASE WHEN @pinned THEN coalesce(pinned_at, max(@at, (SELECT coalesce(max(pinned_at), 0) + 1 FROM conversations))) END,
           archived = @archived,
           muted_until = @mutedUntil, marked_unread = @markedUnread, state_at = @at
         WHERE id = @id AND (state_at IS NULL OR state_at <= @at)`,
      ),
      pinned: db.prepare('SELECT count(*) FROM conversations WHERE pinned_at IS NOT NULL AND id != ?').pluck(),
      unarchive: db.prepare('UPDATE conversations SET archived = 0 WHERE id = ? AND archived = 1 AND (muted_until IS NULL OR muted_until <= ?)'),
      draft: db.prepare('UPDATE conversations SET draft = ? WHERE id = ?'),
    };
  }

  /** Changes how this person keeps the conversation, here and on their other devices. */
  change(conversationId: string, patch: Partial<ConversationState>): Conversation {
    const current = this.require(conversationId);
    const state: ConversationState = {
      pinned: patch.pinned ?? current.pinnedAt !== null,
      archived: patch.archived ?? current.archived,
      mutedUntil: patch.mutedUntil === undefined ? current.mutedUntil : patch.mutedUntil,
      markedUnread: patch.markedUnread ?? current.markedUnread,
    };
    if (state.pinned && current.pinnedAt === null && (this.q.pinned.get(conversationId) as number) >= MAX_PINNED) {
      throw new RelayError('too_many_pins', `at most ${MAX_PINNED} conversations can be pinned`, undefined, { max: String(MAX_PINNED) });
    }
    const at = Date.now();
    this.d.history.durable(() => {
      this.apply(conversationId, state, at);
      this.d.outbox.add([this.d.me], { kind: 'conversation-state', chat: chatRefOf(conversationId), ...state }, { id: newId(), sentAt: at });
    });
    this.d.outbox.flushSoon();
    this.d.conversations.announceConversation(conversationId);
    return this.require(conversationId);
  }

  /** Opened: no longer marked unread (a conversation never marked is left alone, and nothing is sent). */
  seen(conversationId: string): void {
    if (this.d.history.conversation(conversationId)?.markedUnread) this.change(conversationId, { markedUnread: false });
  }

  /** The state from this account's other device. Runs inside a history transaction. */
  receive(payload: z.infer<typeof ConversationStatePayload>, serverTime: number): Outcome[] {
    if (payload.from !== this.d.me) return [];
    // How this person keeps a group does not depend on being in it: a group left is still archived or pinned.
    const conversationId = payload.chat.type === 'group' ? this.knownGroup(payload.chat.id) : payload.chat.peer;
    if (!conversationId) return [];
    if (payload.chat.type === 'direct') {
      this.d.history.ensureConversation(directConversation(this.d.me, conversationId), serverTime);
    }
    const { pinned, archived, mutedUntil, markedUnread } = payload;
    this.apply(conversationId, { pinned, archived, mutedUntil, markedUnread }, serverTime);
    return [{ conversationOnly: conversationId }];
  }

  /** A message came: an archived conversation is back in the list, unless it is muted. */
  messageCame(conversationId: string, now: number): void {
    this.q.unarchive.run(conversationId, now);
  }

  /** Keeps (or with '' forgets) what was typed and not sent. */
  setDraft(conversationId: string, draft: string): void {
    this.require(conversationId);
    this.q.draft.run(draft === '' ? null : draft.slice(0, MAX_DRAFT_CHARS), conversationId);
    this.d.conversations.announceConversation(conversationId);
  }

  private apply(id: string, state: ConversationState, at: number): void {
    this.q.set.run({ id, at, pinned: state.pinned ? 1 : 0, archived: state.archived ? 1 : 0, mutedUntil: state.mutedUntil, markedUnread: state.markedUnread ? 1 : 0 });
  }

  private knownGroup(id: string): string | null {
    return this.d.history.conversation(id)?.kind === 'group' ? id : null;
  }

  private require(conversationId: string): Conversation {
    const conversation = this.d.history.conversation(conversationId);
    if (!conversation) throw new RelayError('unknown_conversation', 'no such conversation');
    return conversation;
  }
}

