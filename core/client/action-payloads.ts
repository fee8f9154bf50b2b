// What a received reaction, edit or deletion does to the history. An action is about a message
// (its target) in the same conversation; one that arrives before its target is held, and replayed
// when the target is stored. Edits and deletions for everyone are their author's alone, within
// ACTION_WINDOW_MS of writing the message (both times by the author's clock, so every device
// judges alike); a deletion for oneself comes from one's own devices only.
import type { Logger } from 'pino';
import { ACTION_WINDOW_MS, type ActionPayload } from '../../shared/payload.js';
import type { ChatMessage } from '../../shared/ipc.js';
import type { History } from '../history.js';
import { loggedValue, type MessageActionStore } from '../message-actions/store.js';
import type { Conversations } from './conversations.js';
import type { Outcome } from './payloads.js';

export interface ActionPayloadDeps {
  me: string;
  history: History;
  store: MessageActionStore;
  conversations: Pick<Conversations, 'conversationFor'>;
  /** Deletes the files of a message that is going. */
  removeFiles: (messageId: string) => void;
  log: Logger;
}

/** Where a message's action stands: what a deletion leaves cannot be acted on. */
export const actionable = (m: ChatMessage | undefined): m is ChatMessage => m?.kind === 'text' && m.deletedAt === undefined;

export class ActionPayloads {
  constructor(private readonly d: ActionPayloadDeps) {}

  /** What changed; `hold` keeps the payload until its target is stored. Runs inside a history transaction. */
  receive(payload: ActionPayload, serverTime: number, hold: (waitingFor: string) => void): Outcome[] {
    const { history, store } = this.d;
    const conversationId = this.d.conversations.conversationFor(payload.chat, payload.from);
    if (!conversationId) return [];
    const target = history.message(payload.target);
    if (!target || target.kind === 'undecryptable') {
      hold(payload.target);
      return [];
    }
    if (target.conversationId !== conversationId || !this.allowed(payload, target)) {
      this.d.log.warn({ from: payload.from, kind: payload.kind }, 'dropping an action that its sender may not take on that message');
      return [];
    }
    let replies: string[] = [];
    const logged = { id: payload.messageId, kind: payload.kind, target: target.id, conversationId, sender: payload.from, value: loggedValue(payload), sentAt: payload.sentAt, serverTime };
    if (!store.log(logged, true)) return [];
    switch (payload.kind) {
      case 'reaction':
        store.react(target.id, payload.from, payload.emoji, serverTime);
        break;
      case 'edit':
        store.edit(target, payload.text, serverTime);
        break;
      case 'delete':
        this.d.removeFiles(target.id);
        if (!payload.forEveryone) {
          store.remove(target.id);
          return [{ removed: { conversationId, id: target.id } }, { acted: true }];
        }
        replies = store.empty(target.id, serverTime);
        break;
    }
    // The message, and the replies whose quote of it changed.
    const changed = [target.id, ...replies].map((id) => history.message(id)).filter((m): m is ChatMessage => m !== undefined);
    return [...changed.map((message) => ({ message, isNew: false })), { acted: true }];
  }

  private allowed(payload: ActionPayload, target: ChatMessage): boolean {
    if (payload.kind === 'reaction') return actionable(target);
    if (payload.kind === 'delete' && !payload.forEveryone) return payload.from === this.d.me;
    // An edit, or a deletion for everyone: only of one's own text, in time.
    return actionable(target) && target.sender === payload.from && payload.sentAt - target.sentAt <= ACTION_WINDOW_MS;
  }
}
