// Disappearing messages: each conversation's timer, set here or by anyone in it (a line says who,
// to what), and the sweep that deletes every message whose time is up, on every device, from the
// history, the search index and the profile's files alike. A message's clock starts when it is read
// on the device (read here, or on another of this account's), or for this account's own when sent.
import type { Logger } from 'pino';
import type { ChatMessage } from '../../shared/ipc.js';
import type { z } from 'zod';
import type { TimerPayload } from '../../shared/payload.js';
import { newId } from '../../shared/ids.js';
import { largestUnit } from '../../shared/duration.js';
import type { History } from '../history.js';
import type { MessageActionStore } from '../message-actions/store.js';
import { directConversation, type Conversations } from './conversations.js';
import type { Emit } from './events.js';
import type { Outbox } from './outbox.js';
import type { Outcome } from './payloads.js';

/** How often the sweep looks for messages whose time is up: a timer is kept to within this. */
const SWEEP_EVERY_MS = 1000;

export interface DisappearingDeps {
  me: string;
  history: History;
  store: Pick<MessageActionStore, 'remove'>;
  conversations: Pick<Conversations, 'target' | 'announce' | 'announceConversation' | 'conversationFor'>;
  outbox: Pick<Outbox, 'add' | 'flushSoon'>;
  removeFiles: (messageId: string) => void;
  emit: Emit;
  log: Logger;
}

export class Disappearing {
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly d: DisappearingDeps) {}

  /** Sets the conversation's timer (null: off) for everyone in it; returns the line that says so. */
  set(conversationId: string, expiresIn: number | null): ChatMessage {
    const { history, outbox, conversations, me } = this.d;
    const target = conversations.target(conversationId);
    const line = timerLine({ id: newId(), conversationId: target.conversationId, actor: me, me, expiresIn, sentAt: Date.now(), serverTime: null });
    history.durable(() => {
      history.setTimer(target.conversationId, expiresIn);
      history.addMessage(line, { read: true, fromRelay: false });
      outbox.add(target.recipients, { kind: 'timer', chat: target.chat, expiresIn }, line);
    });
    conversations.announce(line);
    outbox.flushSoon();
    return line;
  }

  /** A timer set by someone in the conversation (or this account's other device). Runs inside a history transaction. */
  receive(payload: z.infer<typeof TimerPayload>, serverTime: number): Outcome[] {
    const conversationId = this.d.conversations.conversationFor(payload.chat, payload.from);
    if (!conversationId) return [];
    const { history, me } = this.d;
    const line = timerLine({ id: payload.messageId, conversationId, actor: payload.from, me, expiresIn: payload.expiresIn, sentAt: payload.sentAt, serverTime });
    if (payload.chat.type === 'direct') history.ensureConversation(directConversation(me, conversationId), serverTime);
    if (!history.addMessage(line, { read: true, fromRelay: true })) return [];
    history.setTimer(conversationId, payload.expiresIn);
    return [{ message: line, isNew: true }];
  }

  /** Starts sweeping: what is due now goes at once, the rest when its time comes. */
  start(): void {
    this.sweep();
    this.sweeper ??= setInterval(() => this.sweep(), SWEEP_EVERY_MS).unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  /** Deletes every message whose time is up, as a deletion for oneself does (without telling anyone: each device keeps its own clock). */
  sweep(): void {
    const { history, store, emit, log } = this.d;
    try {
      for (let due = history.expired(Date.now()); due.length > 0; due = history.expired(Date.now())) {
        history.batch(() => {
          for (const { id } of due) {
            this.d.removeFiles(id);
            store.remove(id);
          }
        });
        for (const gone of due) emit('removed', gone);
        for (const id of new Set(due.map((g) => g.conversationId))) this.d.conversations.announceConversation(id);
      }
    } catch (err) {
      log.error({ err }, 'could not delete messages whose time was up; trying again');
    }
  }
}

/** The line that says the timer changed. */
function timerLine(t: { id: string; conversationId: string; actor: string; me: string; expiresIn: number | null; sentAt: number; serverTime: number | null }): ChatMessage {
  return {
    id: t.id,
    conversationId: t.conversationId,
    sender: t.actor,
    outgoing: t.actor === t.me,
    kind: 'event',
    text: t.expiresIn === null ? `${t.actor} turned off disappearing messages` : `${t.actor} set disappearing messages to ${durationText(t.expiresIn)}`,
    event: null,
    timerChange: { actor: t.actor, expiresIn: t.expiresIn },
    sentAt: t.sentAt,
    serverTime: t.serverTime,
    state: t.serverTime === null ? 'sending' : 'sent',
  };
}

/** "30 seconds", "1 hour", "4 weeks". */
export function durationText(ms: number): string {
  const { count, unit } = largestUnit(ms);
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}
