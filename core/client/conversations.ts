// The history's conversations as this account sees them: where a message goes, who it goes to,
// and telling listeners what changed.
import { Username } from '../../shared/protocol.js';
import { GroupId, type ChatRef } from '../../shared/payload.js';
import type { ChatMessage, Conversation } from '../../shared/ipc.js';
import type { ConversationInit, History } from '../history.js';
import { RelayError } from '../relay/error.js';
import type { Emit } from './events.js';

export interface SendTarget {
  conversationId: string;
  chat: ChatRef;
  recipients: string[];
  /** The conversation's disappearing-messages timer (ms), for what is written now; null: off. */
  expiresIn: number | null;
}

/**
 * What a direct conversation with `peer` starts as. With oneself it is "Note to self": its one
 * member is this account, whose other devices are all it reaches.
 */
export function directConversation(me: string, peer: string): ConversationInit {
  return { id: peer, kind: 'direct', title: peer, members: peer === me ? [me] : [me, peer] };
}

/** A conversation as its payloads name it: a group by its id, a direct chat by the other person. */
export function chatRefOf(conversationId: string): ChatRef {
  return GroupId.safeParse(conversationId).success ? { type: 'group', id: conversationId } : { type: 'direct', peer: conversationId };
}

export class Conversations {
  constructor(
    private readonly history: History,
    private readonly me: string,
    private readonly emit: Emit,
  ) {}

  /** A message was added or changed: its listeners, then its conversation's, hear of it. */
  announce(message: ChatMessage): void {
    this.emit('message', message);
    this.announceConversation(message.conversationId);
  }

  announceConversation(id: string): void {
    const conversation = this.history.conversation(id);
    if (conversation) this.emit('conversation', conversation);
  }

  /**
   * Makes (or returns) the direct conversation with a peer. With oneself it is "Note to self": what
   * is written there goes to this account's other devices only, and one member is all it has.
   */
  direct(peer: string): Conversation {
    this.history.ensureConversation(directConversation(this.me, peer), Date.now());
    const conversation = this.history.conversation(peer);
    if (!conversation) throw new Error(`conversation ${peer} vanished`);
    this.emit('conversation', conversation);
    return conversation;
  }

  /** Everyone but me; just me (my other devices) when I am alone. */
  others(members: string[]): string[] {
    const rest = members.filter((m) => m !== this.me);
    return rest.length > 0 ? rest : [this.me];
  }

  target(conversationId: string): SendTarget {
    if (GroupId.safeParse(conversationId).success) {
      const group = this.history.conversation(conversationId);
      if (!group || group.kind !== 'group') throw new RelayError('unknown_conversation', 'no such group');
      if (!group.active) throw new RelayError('not_a_member', 'you are no longer a member of this group');
      return { conversationId, chat: { type: 'group', id: conversationId }, recipients: this.others(group.members), expiresIn: group.expiresIn };
    }
    const peer = Username.parse(conversationId);
    const { expiresIn } = this.direct(peer);
    return { conversationId: peer, chat: { type: 'direct', peer }, recipients: [peer], expiresIn };
  }

  requireGroup(groupId: string): Conversation {
    const group = this.history.conversation(GroupId.parse(groupId));
    if (!group || group.kind !== 'group') throw new RelayError('unknown_conversation', 'no such group');
    if (!group.active) throw new RelayError('not_a_member', 'you are no longer a member of this group');
    return group;
  }

  /** Where a payload belongs from this account's side; null when the sender may not write there. */
  conversationFor(chat: ChatRef, from: string): string | null {
    const own = from === this.me;
    if (chat.type === 'direct') {
      if (own) return chat.peer;
      return chat.peer === this.me ? from : null;
    }
    const group = this.history.conversation(chat.id);
    // A removed member's messages, or messages for a group this account left, are not shown.
    if (!group || group.kind !== 'group' || !group.active || !group.members.includes(from)) return null;
    return chat.id;
  }
}
