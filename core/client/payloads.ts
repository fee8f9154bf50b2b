// What a decrypted payload does to the history: a text, a group change, read receipts, this
// account's conversations from its other device; group messages held until their group is known.
import type { Logger } from 'pino';
import { Payload, type SignedGroupState } from '../../shared/payload.js';
import type { ChatMessage } from '../../shared/ipc.js';
import type { History } from '../history.js';
import type { AttachmentStore } from '../attachments/attachment-store.js';
import { applyGroupChange, isNewerState, type GroupRules } from '../groups.js';
import type { ActionPayloads } from './action-payloads.js';
import type { Disappearing } from './disappearing.js';
import type { ConversationStates } from './conversation-states.js';
import { directConversation, type Conversations } from './conversations.js';
import type { People } from './people.js';
import type { ConversationRemoval } from './conversation-removal.js';
import type { Resends } from './resends.js';

/**
 * What receiving changed: a message (new or not), a conversation alone, a message that left one, or
 * that a reaction, edit or deletion was logged (besides what it changed).
 */
export type Outcome =
  | { message: ChatMessage; isNew: boolean }
  | { conversationOnly: string }
  | { removed: { conversationId: string; id: string } }
  /** Deleted on another of this account's devices; `kept`: what came later is still here. */
  | { conversationRemoved: string; kept: boolean }
  | { acted: true };

const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The payload inside a frame, checked against its routing; null when it is not one. */
export function parsePayload(plain: Uint8Array, frame: { from: { username: string }; messageId: string }, log: Logger): Payload | null {
  let payload: Payload;
  try {
    payload = Payload.parse(JSON.parse(fromUtf8.decode(plain)));
  } catch {
    log.warn({ from: frame.from.username }, 'dropping an envelope with an unreadable payload');
    return null;
  }
  if (payload.messageId !== frame.messageId || payload.from !== frame.from.username) {
    log.warn({ from: frame.from.username }, 'dropping an envelope whose payload does not match its routing');
    return null;
  }
  return payload;
}

export interface PayloadDeps {
  me: string;
  history: History;
  conversations: Pick<Conversations, 'conversationFor'>;
  resends: Pick<Resends, 'answer' | 'receive'>;
  /** Where a text's files' pointers are kept (their files are fetched only when asked for). */
  attachments?: Pick<AttachmentStore, 'insert' | 'decorate'>;
  /** Reactions, edits and deletions. */
  actions: Pick<ActionPayloads, 'receive'>;
  /** Disappearing-messages timers. */
  timers: Pick<Disappearing, 'receive'>;
  /** How this person keeps each conversation (pinned, archived, muted, marked unread). */
  states: Pick<ConversationStates, 'receive' | 'messageCame'>;
  /** Who is blocked, message requests, and those states from this account's other devices. */
  people: Pick<People, 'isBlocked' | 'started' | 'wrote' | 'receive' | 'toldRequest'>;
  /** Conversations deleted on this account's other devices. */
  removal: Pick<ConversationRemoval, 'receive'>;
  /** Who owns which group, and whose signatures count. */
  groupRules: GroupRules;
  /** A group change parted this account from these people (they, or it, left or were removed). */
  partedFrom: (people: string[]) => void;
}

export class Payloads {
  constructor(private readonly d: PayloadDeps) {}

  /** What changed, if anything. Runs inside a history transaction. */
  receive(payload: Payload, serverTime: number, device = ''): Outcome[] {
    const { me, history } = this.d;
    const own = payload.from === me;
    // Nothing from a blocked person shows; a group's membership and timer still change as they
    // change them, or this account's idea of the group would part from everyone else's.
    const groupState = payload.kind === 'group' || (payload.kind === 'timer' && payload.chat.type === 'group');
    if (!own && !groupState && this.d.people.isBlocked(payload.from)) return [];
    switch (payload.kind) {
      case 'resend-request':
        return this.d.resends.answer(payload, device);
      case 'resent':
        return this.d.resends.receive(payload, device, (inner, time, from) => this.receive(inner, time, from));
      case 'text': {
        if (payload.chat.type === 'group' && this.holdIfUnknownGroup(payload.chat.id, payload, serverTime)) return [];
        const conversationId = this.d.conversations.conversationFor(payload.chat, payload.from);
        if (!conversationId) return [];
        if (payload.chat.type === 'direct') {
          const known = history.members(conversationId) !== undefined;
          history.ensureConversation(directConversation(me, conversationId), serverTime);
          if (own) this.d.people.wrote(conversationId);
          else if (!known) this.d.people.started(conversationId, payload.from);
        }
        const message: ChatMessage = {
          id: payload.messageId,
          conversationId,
          sender: payload.from,
          outgoing: own,
          kind: 'text',
          text: payload.text,
          event: null,
          sentAt: payload.sentAt,
          serverTime: serverTime,
          state: own ? 'sent' : 'delivered',
          ...(payload.replyTo ? { replyTo: payload.replyTo } : {}),
          ...(payload.forwarded ? { forwarded: true } : {}),
          // Its clock starts once it is read; this account's own message (from its other device) was read when written.
          ...(payload.expiresIn ? { expiresIn: payload.expiresIn, ...(own ? { expiresAt: payload.sentAt + payload.expiresIn } : {}) } : {}),
        };
        if (!history.addMessage(message, { read: own, fromRelay: true })) return [];
        if (!own) this.d.states.messageCame(conversationId, serverTime);
        if (payload.attachments && this.d.attachments) {
          this.d.attachments.insert(message.id, payload.attachments, false);
          this.d.attachments.decorate([message]);
        }
        // Reactions, edits or deletions that came before it: the message is told as they left it.
        const acted = this.replayHeld(message.id);
        if (acted.length === 0) return [{ message, isNew: true }];
        const final = history.message(message.id);
        if (!final) return acted;
        return [{ message: final, isNew: true }, ...acted.filter((o) => !('message' in o && o.message.id === message.id))];
      }
      case 'conversation-state':
        if (payload.chat.type === 'group' && this.holdIfUnknownGroup(payload.chat.id, payload, serverTime)) return [];
        return this.d.states.receive(payload, serverTime);
      case 'person-state':
        return this.d.people.receive(payload, serverTime);
      case 'conversation-removed':
        return this.d.removal.receive(payload, serverTime);
      case 'timer':
        if (payload.chat.type === 'group' && this.holdIfUnknownGroup(payload.chat.id, payload, serverTime)) return [];
        return this.d.timers.receive(payload, serverTime);
      case 'reaction':
      case 'edit':
      case 'delete': {
        if (payload.chat.type === 'group' && this.holdIfUnknownGroup(payload.chat.id, payload, serverTime)) return [];
        return this.d.actions.receive(payload, serverTime, (waitingFor) => history.hold(waitingFor, payload.messageId, JSON.stringify(payload), serverTime));
      }
      case 'group': {
        const before = history.members(payload.group) ?? [];
        const line = applyGroupChange(history, this.d.groupRules, {
          groupId: payload.group,
          name: payload.name,
          action: payload.action,
          subjects: payload.subjects,
          actor: payload.from,
          messageId: payload.messageId,
          sentAt: payload.sentAt,
          serverTime: serverTime,
          fromRelay: true,
          ...(payload.state ? { state: payload.state } : {}),
        });
        if (!line) {
          // Not for this device yet, perhaps: a change to a group it is about to learn of.
          this.holdIfUnknownGroup(payload.group, payload, serverTime);
          return [];
        }
        if (payload.action === 'remove' || payload.action === 'leave') {
          this.d.partedFrom(payload.subjects.includes(me) ? before : payload.subjects);
        }
        return [{ message: line, isNew: true }, ...this.replayHeld(payload.group)];
      }
      case 'read': {
        const conversationId = this.d.conversations.conversationFor(payload.chat, payload.from);
        if (!conversationId) return [];
        if (own) {
          // Read on another of this account's devices: no longer unread here.
          return history.markMessagesRead(payload.messageIds) > 0 ? [{ conversationOnly: conversationId }] : [];
        }
        return payload.messageIds
          .map((id) => history.message(id))
          .filter((m): m is ChatMessage => m?.outgoing === true && m.conversationId === conversationId)
          .map((m) => history.advance(m.id, 'read'))
          .filter((m): m is ChatMessage => m !== undefined)
          .map((message) => ({ message, isNew: false }));
      }
      case 'contacts': {
        if (!own) return [];
        const now = serverTime;
        const requests = payload.requests && new Set(payload.requests);
        for (const peer of payload.direct) {
          history.ensureConversation(directConversation(me, peer), now);
          if (requests) this.d.people.toldRequest(peer, requests.has(peer));
        }
        const replayed: Outcome[] = [];
        for (const group of payload.groups) {
          history.ensureConversation({ id: group.id, kind: 'group', title: group.name, members: group.members }, now);
          this.keepOwnDeviceState(group.id, group.state);
          replayed.push(...this.replayHeld(group.id));
        }
        return [...[...payload.direct, ...payload.groups.map((g) => g.id)].map((id) => ({ conversationOnly: id })), ...replayed];
      }
      case 'typing':
        return [];
    }
  }

  /** A group's signed state as this account's other device has it: checked all the same, and kept when newer. */
  private keepOwnDeviceState(groupId: string, state: SignedGroupState | undefined): void {
    const { states } = this.d.groupRules;
    if (state && isNewerState(groupId, state, states.get(groupId))) states.put(state);
  }

  /**
   * A group's messages can arrive before this device knows the group (a device just linked, its
   * contacts still on the way): they are held, and replayed once the group becomes known.
   */
  private holdIfUnknownGroup(groupId: string, payload: Payload, serverTime: number): boolean {
    if (this.d.history.members(groupId)) return false;
    this.d.history.hold(groupId, payload.messageId, JSON.stringify(payload), serverTime);
    return true;
  }

  /** Replays what was held for this group or message. */
  private replayHeld(waitingFor: string): Outcome[] {
    return this.d.history
      .takeHeld(waitingFor)
      .flatMap((held) => this.receive(Payload.parse(JSON.parse(held.payload)), held.serverTime));
  }
}
