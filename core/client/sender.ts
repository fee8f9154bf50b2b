// What a person writes: a text to a conversation, and "read" for what they have seen. Both go
// through the outbox, after anything written earlier.
import { MessageText } from '../../shared/protocol.js';
import type { Quote } from '../../shared/payload.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';
import { chatRefOf, type Conversations } from './conversations.js';
import type { Outbox } from './outbox.js';
import type { People } from './people.js';

export interface SenderDeps {
  me: string;
  history: History;
  conversations: Pick<Conversations, 'target' | 'announce' | 'announceConversation'>;
  outbox: Pick<Outbox, 'add' | 'flush' | 'flushSoon' | 'takeError'>;
  relay: Pick<RelayConnection, 'state' | 'lastError'>;
  people: Pick<People, 'answers'>;
}

export class Sender {
  constructor(private readonly d: SenderDeps) {}

  /**
   * Writes the message and its outbox entry, then lets the one outbox sender deliver it after
   * anything written earlier (so order holds across reconnects). With `queue: false` a message that
   * cannot go out now is marked failed and the reason thrown, instead of waiting for the next connection.
   */
  async send(conversationId: string, text: string, opts: { queue: boolean; replyTo?: Quote; forwarded?: true } = { queue: true }): Promise<ChatMessage> {
    const { history, outbox, conversations, relay } = this.d;
    const body = MessageText.parse(text);
    const target = conversations.target(conversationId);
    const message = outgoingText(target.conversationId, this.d.me, body, { replyTo: opts.replyTo, forwarded: opts.forwarded, expiresIn: target.expiresIn });
    history.durable(() => {
      history.addMessage(message, { read: true, fromRelay: false });
      outbox.add(target.recipients, { kind: 'text', chat: target.chat, text: body, ...carried(message) }, message);
    });
    conversations.announce(message);
    if (relay.state === 'online') await outbox.flush();
    const now = history.message(message.id) ?? message;
    const failure = outbox.takeError(message.id);
    if (now.state === 'failed') throw failure ?? new RelayError('failed', 'the message could not be sent');
    if (now.state === 'sending' && !opts.queue) {
      history.dequeue(message.id);
      const failed = history.markFailed(message.id);
      if (failed) conversations.announce(failed);
      throw failure ?? relay.lastError ?? new RelayError('offline', 'not connected to the relay');
    }
    return now;
  }

  /** Marks a conversation read here, tells the sender (direct chats) and this account's other devices. */
  markRead(conversationId: string): void {
    const { history, outbox, me } = this.d;
    const ids = history.markRead(conversationId);
    if (ids.length === 0) return;
    this.d.conversations.announceConversation(conversationId);
    const chat = chatRefOf(conversationId);
    // Groups: other members are not told who read what; only this account's devices sync. Nor is
    // someone blocked, or a stranger whose request is not accepted.
    const recipients = chat.type === 'direct' && this.d.people.answers(conversationId) ? [conversationId] : [me];
    for (let i = 0; i < ids.length; i += 500) {
      outbox.add(recipients, { kind: 'read', chat, messageIds: ids.slice(i, i + 500) });
    }
    outbox.flushSoon();
  }
}

/** A message this device writes now, before anything is stored or sent; its clock (if it disappears) starts now. */
export function outgoingText(
  conversationId: string,
  sender: string,
  text: string,
  extra: { replyTo?: Quote | undefined; forwarded?: true | undefined; expiresIn?: number | null | undefined } = {},
): ChatMessage {
  const { replyTo, forwarded, expiresIn } = extra;
  const sentAt = Date.now();
  return {
    id: newId(),
    conversationId,
    sender,
    outgoing: true,
    kind: 'text',
    text,
    event: null,
    sentAt,
    serverTime: null,
    state: 'sending',
    ...(replyTo ? { replyTo } : {}),
    ...(forwarded ? { forwarded } : {}),
    ...(expiresIn ? { expiresIn, expiresAt: sentAt + expiresIn } : {}),
  };
}

/** What a text payload carries of its message besides the text: the quote, that it was forwarded, how long it lives. */
export function carried(message: ChatMessage): { replyTo?: Quote; forwarded?: true; expiresIn?: number } {
  return {
    ...(message.replyTo ? { replyTo: message.replyTo } : {}),
    ...(message.forwarded ? { forwarded: true } : {}),
    ...(message.expiresIn ? { expiresIn: message.expiresIn } : {}),
  };
}
