// Typing indicators: sent to whoever of the conversation's people is online now, sealed in a box
// (never queued, never retried), and received only from people this account shares a conversation with.
import type { Logger } from 'pino';
import type { DeviceBox } from '../../shared/crypto.js';
import type { EphemeralFrame } from '../../shared/protocol.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import type { Directory } from '../e2e/directory.js';
import type { RelayConnection } from '../relay/connection.js';
import type { Conversations } from './conversations.js';
import { encodePayload, type Delivery } from './delivery.js';
import type { Emit } from './events.js';
import { parsePayload } from './payloads.js';
import type { People } from './people.js';

/** A typing indicator older (or further ahead) than this is a replay or a broken clock. */
const TYPING_FRESH_MS = 30_000;
const utf8 = new TextEncoder();

export interface TypingDeps {
  me: string;
  history: Pick<History, 'conversation'>;
  conversations: Pick<Conversations, 'target' | 'conversationFor'>;
  delivery: Pick<Delivery, 'deliver'>;
  directory: Pick<Directory, 'knows'>;
  box: DeviceBox;
  relay: Pick<RelayConnection, 'state'>;
  people: Pick<People, 'isBlocked'>;
  emit: Emit;
  log: Logger;
}

/** Someone typing in a conversation, and when this device last heard so. */
export interface TypingNow {
  conversationId: string;
  username: string;
  at: number;
}

export class Typing {
  /** Who is typing where, for a window that opens (or reloads) while they are. */
  private readonly heard = new Map<string, TypingNow>();

  constructor(private readonly d: TypingDeps) {}

  /** As heard within the freshness window; the window decides how long it shows one. */
  now(): TypingNow[] {
    const since = Date.now() - TYPING_FRESH_MS;
    for (const [key, entry] of this.heard) if (entry.at < since) this.heard.delete(key);
    return [...this.heard.values()];
  }

  /** Their message arrived: they are done typing it. */
  done(conversationId: string, username: string): void {
    this.heard.delete(`${conversationId}\n${username}`);
  }

  async send(conversationId: string, typing: boolean): Promise<void> {
    if (this.d.relay.state !== 'online') return;
    const target = this.d.conversations.target(conversationId);
    // Nobody blocked sees it. A stranger whose request is open does: typing is the start of an
    // answer, and answering accepts.
    const recipients = target.recipients.filter((r) => !this.d.people.isBlocked(r));
    if (recipients.length === 0 || (recipients.length === 1 && recipients[0] === this.d.me)) return;
    const messageId = newId();
    const payload = encodePayload(this.d.me, { kind: 'typing', chat: target.chat, typing }, messageId, Date.now());
    try {
      await this.d.delivery.deliver({ seq: 0, messageId, recipients, payload, device: null, fresh: false }, { ephemeral: true });
    } catch (err) {
      this.d.log.debug({ err }, 'typing not sent');
    }
  }

  receive(frame: EphemeralFrame): void {
    if (frame.sealed.kind !== 'box' || !this.d.directory.knows(frame.from.username, frame.from.device)) return;
    const plain = this.d.box.open(frame.sealed, frame.from.device);
    const payload = plain === null ? null : parsePayload(utf8.encode(plain), frame, this.d.log);
    if (payload?.kind !== 'typing' || payload.from === this.d.me || this.d.people.isBlocked(payload.from)) return;
    // A box has no ratchet to stop a replay: an old "typing" captured by the relay is ignored.
    if (Math.abs(Date.now() - payload.sentAt) > TYPING_FRESH_MS) return;
    const conversationId = this.d.conversations.conversationFor(payload.chat, payload.from);
    // Only in conversations this account has: a stranger's typing is no news.
    if (conversationId && this.d.history.conversation(conversationId)) {
      const key = `${conversationId}\n${payload.from}`;
      if (payload.typing) this.heard.set(key, { conversationId, username: payload.from, at: Date.now() });
      else this.heard.delete(key);
      this.d.emit('typing', { conversationId, username: payload.from, typing: payload.typing });
    }
  }
}
