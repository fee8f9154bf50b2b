// Blocking and message requests. A blocked person's messages are dropped once decrypted (so the
// ratchet stays in step for an unblock), acked without a delivery receipt, and nothing goes to
// them: no read receipts, no typing, and the relay is asked to take this account's presence back.
// A direct chat a stranger starts (someone never written to, in no group with this account) is a
// request: read, but unanswered (no read receipts) until accepted, or written to. Both states go
// to this account's other devices as a person's whole state, the newest winning.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { z } from 'zod';
import { Username } from '../../shared/protocol.js';
import type { PersonStatePayload } from '../../shared/payload.js';
import type { Conversation } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import { RelayError } from '../relay/error.js';
import type { Conversations } from './conversations.js';
import type { Outbox } from './outbox.js';
import type { Outcome } from './payloads.js';

export interface PeopleDeps {
  me: string;
  db: Database.Database;
  history: Pick<History, 'conversation' | 'conversations' | 'durable'>;
  conversations: Pick<Conversations, 'announceConversation'>;
  outbox: Pick<Outbox, 'add' | 'flushSoon'>;
  /** Deletes the conversation and everything in it, here (client/conversation-removal.ts). */
  removeConversation: (conversationId: string) => void;
  /** Someone was blocked: their presence is hidden here, and the relay is to stop showing them this account's. */
  withdrawPresence: (username: string) => void;
}

export class People {
  private readonly q;
  /** Asked for every envelope: kept in memory, the table being the truth across restarts. */
  private readonly blockedSet: Set<string>;

  constructor(private readonly d: PeopleDeps) {
    const db = d.db;
    this.q = {
      // Only what is newer than the state applied last: a change arriving late changes nothing.
      setBlocked: db.prepare(
        `INSERT INTO blocked_people (username, blocked, changed_at) VALUES (@username, @blocked, @at)
         ON CONFLICT (username) DO UPDATE SET blocked = excluded.blocked, changed_at = excluded.changed_at
         WHERE excluded.changed_at >= blocked_people.changed_at`,
      ),
      blocked: db.prepare('SELECT username FROM blocked_people WHERE blocked = 1').pluck(),
      isBlocked: db.prepare('SELECT blocked FROM blocked_people WHERE username = ?').pluck(),
      setRequest: db.prepare("UPDATE conversations SET request = ? WHERE id = ? AND kind = 'direct'"),
      deletedChat: db.prepare('INSERT INTO deleted_chats (username, deleted_at) VALUES (?, ?) ON CONFLICT (username) DO UPDATE SET deleted_at = excluded.deleted_at'),
      wasChat: db.prepare('SELECT 1 FROM deleted_chats WHERE username = ?').pluck(),
      readIncoming: db.prepare("SELECT id FROM messages WHERE conversation_id = ? AND outgoing = 0 AND read = 1 AND kind = 'text'").pluck(),
    };
    this.blockedSet = new Set(this.q.blocked.all() as string[]);
  }

  isBlocked(username: string): boolean {
    return this.blockedSet.has(username);
  }

  /** Blocks (or unblocks) a person, here and on this account's other devices. */
  setBlocked(username: string, blocked: boolean): void {
    const peer = Username.parse(username);
    if (peer === this.d.me) throw new RelayError('own_chat', 'you cannot block yourself');
    const at = Date.now();
    this.d.history.durable(() => {
      this.applyBlocked(peer, blocked, at);
      this.sync(peer, at);
    });
    this.changed(peer, blocked);
  }

  /** Tells this account's devices (a new one, just linked) everyone it blocks. */
  shareBlocks(): void {
    const at = Date.now();
    this.d.history.durable(() => {
      for (const peer of this.blockedSet) this.sync(peer, at);
    });
  }

  /** Accepts a message request: from now on the chat is like any other (read receipts go to them). */
  accept(conversationId: string): Conversation {
    const conversation = this.requireDirect(conversationId);
    if (!conversation.request) return conversation;
    const at = Date.now();
    this.d.history.durable(() => {
      this.answer(conversationId);
      this.sync(conversationId, at);
    });
    this.d.outbox.flushSoon();
    this.d.conversations.announceConversation(conversationId);
    return this.requireDirect(conversationId);
  }

  /** Deletes a message request and everything in it, here only; a new message from them is a new request. */
  deleteRequest(conversationId: string): void {
    if (!this.requireDirect(conversationId).request) throw new RelayError('not_a_request', 'only a message request can be deleted');
    this.d.removeConversation(conversationId);
  }

  /** The state from this account's other device. Runs inside a history transaction. */
  receive(payload: z.infer<typeof PersonStatePayload>, serverTime: number): Outcome[] {
    if (payload.from !== this.d.me || payload.peer === this.d.me) return [];
    const was = this.isBlocked(payload.peer);
    this.applyBlocked(payload.peer, payload.blocked, serverTime);
    if (payload.accepted) this.q.setRequest.run(0, payload.peer);
    const now = this.isBlocked(payload.peer);
    if (now && !was) this.d.withdrawPresence(payload.peer);
    return this.d.history.conversation(payload.peer) ? [{ conversationOnly: payload.peer }] : [];
  }

  /**
   * A message from `from` has just made the direct conversation `conversationId`: it is a request
   * unless they share a group with this account, or had a chat with it that was deleted (this
   * account never wrote to them, or the conversation would have been there). Runs inside a
   * history transaction.
   */
  started(conversationId: string, from: string): void {
    if (this.q.wasChat.get(from) === 1) return;
    const sharesGroup = this.d.history.conversations().some((c) => c.kind === 'group' && c.active && c.members.includes(from));
    if (!sharesGroup) this.q.setRequest.run(1, conversationId);
  }

  /** A conversation is being deleted: a direct chat's person stays known (a request's stays a stranger). */
  deleting(conversation: Conversation, at: number): void {
    if (conversation.kind === 'direct' && !conversation.request) this.q.deletedChat.run(conversation.id, at);
  }

  /**
   * From the account's conversations sent to a device just linked: whether the direct chat with
   * `peer` is a message request there. Runs inside a history transaction.
   */
  toldRequest(peer: string, request: boolean): void {
    this.q.setRequest.run(request ? 1 : 0, peer);
  }

  /** This account wrote in the conversation (here or on another device): a request is accepted. */
  wrote(conversationId: string): void {
    if (this.d.history.conversation(conversationId)?.request) this.q.setRequest.run(0, conversationId);
  }

  /** Whether read receipts may go to this conversation's person (always true of a group). */
  answers(conversationId: string): boolean {
    const conversation = this.d.history.conversation(conversationId);
    return conversation?.kind !== 'direct' || (!conversation.request && !this.isBlocked(conversationId));
  }

  /**
   * About to write in the conversation: refused to someone blocked (unblock them first); writing
   * to a stranger accepts their request.
   */
  checkWritable(conversationId: string): void {
    if (this.isBlocked(conversationId)) {
      throw new RelayError('blocked', `you blocked ${conversationId}: unblock them to write to them`, undefined, { username: conversationId });
    }
    if (this.d.history.conversation(conversationId)?.request) {
      this.d.history.durable(() => this.answer(conversationId));
      this.d.conversations.announceConversation(conversationId);
    }
  }

  /**
   * A request accepted on this device: what was read while it was one is told now, as it would
   * have been in a chat like any other. The other devices, told of the acceptance, send nothing.
   */
  private answer(peer: string): void {
    this.q.setRequest.run(0, peer);
    const ids = this.q.readIncoming.all(peer) as string[];
    for (let i = 0; i < ids.length; i += 500) {
      this.d.outbox.add([peer], { kind: 'read', chat: { type: 'direct', peer }, messageIds: ids.slice(i, i + 500) });
    }
  }

  private applyBlocked(username: string, blocked: boolean, at: number): void {
    this.q.setBlocked.run({ username, blocked: blocked ? 1 : 0, at });
    if (this.q.isBlocked.get(username) === 1) this.blockedSet.add(username);
    else this.blockedSet.delete(username);
  }

  private sync(peer: string, at: number): void {
    const accepted = this.d.history.conversation(peer)?.request !== true;
    this.d.outbox.add([this.d.me], { kind: 'person-state', peer, blocked: this.isBlocked(peer), accepted }, { id: newId(), sentAt: at });
  }

  private changed(peer: string, blocked: boolean): void {
    this.d.outbox.flushSoon();
    if (blocked) this.d.withdrawPresence(peer);
    this.d.conversations.announceConversation(peer);
  }

  private requireDirect(conversationId: string): Conversation {
    const conversation = this.d.history.conversation(conversationId);
    if (conversation?.kind !== 'direct') throw new RelayError('unknown_conversation', 'no such conversation');
    return conversation;
  }
}
