// What a person does to a message already sent: reply to it (a quote), react, edit, delete. Each
// takes effect here at once, and goes through the outbox after anything written earlier, to the
// conversation's people and this account's other devices (a deletion for oneself: to those only).
import { ACTION_WINDOW_MS, MAX_QUOTE_CHARS, type ActionPayload, type PayloadBody, type Quote } from '../../shared/payload.js';
import { MessageText } from '../../shared/protocol.js';
import type { ChatMessage, MessageVersion } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import { loggedValue, type MessageActionStore } from '../message-actions/store.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';
import { actionable } from './action-payloads.js';
import { chatRefOf, type Conversations } from './conversations.js';
import type { Emit } from './events.js';
import type { Outbox } from './outbox.js';

export interface MessageActionDeps {
  me: string;
  history: History;
  store: MessageActionStore;
  conversations: Pick<Conversations, 'target' | 'announce' | 'announceConversation'>;
  outbox: Pick<Outbox, 'add' | 'flush' | 'takeError'>;
  relay: Pick<RelayConnection, 'state' | 'lastError'>;
  removeFiles: (messageId: string) => void;
  emit: Emit;
}

/** `queue: false`: resolve only once the relay has it (else throw why not), rather than once it is queued. */
export interface Sending {
  queue: boolean;
}

type ActionBody = Extract<PayloadBody, { kind: ActionPayload['kind'] }>;

export class MessageActions {
  constructor(private readonly d: MessageActionDeps) {}

  /** What a reply to this message carries of it; throws when it cannot be answered in this conversation. */
  quote(conversationId: string, messageId: string): Quote {
    const message = this.actionable(messageId);
    if (message.conversationId !== conversationId) throw new RelayError('unknown_message', 'that message is in another conversation');
    return { id: message.id, from: message.sender, text: [...message.text].slice(0, MAX_QUOTE_CHARS).join('') };
  }

  /** Sets this person's reaction (or with null takes it away). */
  async react(messageId: string, emoji: string | null, opts: Sending): Promise<ChatMessage> {
    const message = this.actionable(messageId);
    const at = Date.now();
    return this.act(message, { kind: 'reaction', chat: chatRefOf(message.conversationId), target: message.id, emoji }, at, opts, () =>
      this.d.store.react(message.id, this.d.me, emoji, at),
    );
  }

  async edit(messageId: string, text: string, opts: Sending): Promise<ChatMessage> {
    const message = this.ownInTime(messageId);
    const body = MessageText.parse(text);
    const at = Date.now();
    return this.act(message, { kind: 'edit', chat: chatRefOf(message.conversationId), target: message.id, text: body }, at, opts, () => {
      this.d.store.edit(message, body, at);
    });
  }

  /** For everyone: one's own message, within a day. Otherwise here and on this account's other devices. */
  async delete(messageId: string, forEveryone: boolean, opts: Sending): Promise<void> {
    const message = forEveryone ? this.ownInTime(messageId) : this.d.history.message(messageId);
    if (!message) throw new RelayError('unknown_message', 'no such message');
    const at = Date.now();
    await this.act(message, { kind: 'delete', chat: chatRefOf(message.conversationId), target: message.id, forEveryone }, at, opts, () => {
      this.d.removeFiles(message.id);
      if (forEveryone) return this.d.store.empty(message.id, at);
      this.d.store.remove(message.id);
      return [];
    });
  }

  versions(messageId: string): MessageVersion[] {
    if (!this.d.history.message(messageId)) throw new RelayError('unknown_message', 'no such message');
    return this.d.store.versions(messageId);
  }

  /**
   * Applies the action here and writes it to the outbox in one durable transaction, then sends it.
   * When it cannot go now it stays queued, sent at the next connection; with `queue: false` the
   * reason is thrown too, for a caller that waits for the relay to have it (the CLI).
   */
  private async act(message: ChatMessage, body: ActionBody, at: number, opts: Sending, apply: () => string[] | void): Promise<ChatMessage> {
    const { history, outbox, store, me } = this.d;
    const id = newId();
    const local = body.kind === 'delete' && !body.forEveryone;
    // A deletion for oneself goes to one's own devices only; anything else to the conversation too.
    const recipients = local ? [me] : this.d.conversations.target(message.conversationId).recipients;
    const value = loggedValue(body);
    let replies: string[] = [];
    history.durable(() => {
      replies = apply() ?? [];
      store.log({ id, kind: body.kind, target: message.id, conversationId: message.conversationId, sender: me, value, sentAt: at, serverTime: null }, false);
      outbox.add(recipients, body, { id, sentAt: at });
    });
    const now = history.message(message.id);
    for (const reply of replies.map((id) => history.message(id))) if (reply) this.d.conversations.announce(reply);
    if (now) this.d.conversations.announce(now);
    else {
      this.d.emit('removed', { conversationId: message.conversationId, id: message.id });
      this.d.conversations.announceConversation(message.conversationId);
    }
    if (this.d.relay.state === 'online') await outbox.flush();
    const failure = outbox.takeError(id);
    if (!opts.queue && history.inOutbox(id)) {
      throw failure ?? this.d.relay.lastError ?? new RelayError('offline', 'not connected to the relay: it goes out at the next connection');
    }
    return now ?? message;
  }

  private actionable(messageId: string): ChatMessage {
    const message = this.d.history.message(messageId);
    if (!message) throw new RelayError('unknown_message', 'no such message');
    if (!actionable(message)) throw new RelayError('message_deleted', 'the message was deleted, or is not one a person wrote');
    return message;
  }

  private ownInTime(messageId: string): ChatMessage {
    const message = this.actionable(messageId);
    if (message.sender !== this.d.me) throw new RelayError('not_own_message', 'only its sender can edit a message or delete it for everyone');
    if (Date.now() - message.sentAt > ACTION_WINDOW_MS) throw new RelayError('too_late', 'a message can be edited or deleted for everyone for 24 hours');
    return message;
  }

}
