// Messages that did not decrypt: asking their sending device for them again (over a fresh
// session), answering such requests, and taking an answer in place of its placeholder.
import type { Logger } from 'pino';
import { type EnvelopeFrame } from '../../shared/protocol.js';
import { Payload } from '../../shared/payload.js';
import type { ChatMessage } from '../../shared/ipc.js';
import type { History } from '../history.js';
import type { Ledger } from '../e2e/ledger.js';
import type { Outbox } from './outbox.js';
import type { Outcome } from './payloads.js';

/** Payload kinds worth sending again to a device that could not decrypt them. */
const RESENDABLE = new Set<Payload['kind']>(['text', 'group', 'read', 'contacts']);
/** Times one device may have the same message sent again. */
const MAX_RESENDS = 3;
/** At most one fresh session per device this often for resend requests: garbage must not buy a bundle each. */
const FRESH_SESSION_EVERY_MS = 60_000;
/**
 * Resend requests to one device per minute at most. Each goes through this device's outbox, ahead of
 * what its person writes next, and spends its send budget on the relay: a contact sending garbage
 * must not queue one per garbage message. Past it, the placeholder still shows.
 */
const REQUESTS_PER_DEVICE_PER_MINUTE = 10;

export function isResendable(payloadJson: string): boolean {
  const kind = (JSON.parse(payloadJson) as { kind?: unknown }).kind;
  return typeof kind === 'string' && RESENDABLE.has(kind as Payload['kind']);
}

export interface ResendDeps {
  history: History;
  ledger: Ledger;
  outbox: Pick<Outbox, 'add'>;
  log: Logger;
}

type ReceivePayload = (payload: Payload, serverTime: number, device: string) => Outcome[];

export class Resends {
  private readonly timesSent = new Map<string, number>();
  private readonly freshSessionAt = new Map<string, number>();
  /** Per device, when this device last asked it for messages again (within the minute). */
  private readonly askedAt = new Map<string, number[]>();

  constructor(private readonly d: ResendDeps) {}

  /**
   * Asks the sending device for a message again (unless it was asked too often this minute); false
   * when it was asked already (the same envelope again, or a forged one under its id).
   */
  request(frame: Extract<EnvelopeFrame, { kind: 'message' }>, reason: string): boolean {
    const { from } = frame;
    const now = Date.now();
    if (!this.d.ledger.ask(frame.messageId, { device: from.device, username: from.username, serverTime: frame.serverTime }, now)) return false;
    if (!this.mayAsk(from.device, now)) {
      this.d.log.debug({ from: from.username, reason }, 'a message could not be decrypted; too many asked of this device already');
      return true;
    }
    this.d.log.warn({ from: from.username, reason }, 'a message could not be decrypted; asking for it again');
    const fresh = now - (this.freshSessionAt.get(from.device) ?? 0) > FRESH_SESSION_EVERY_MS;
    if (fresh) this.freshSessionAt.set(from.device, now);
    this.d.outbox.add([from.username], { kind: 'resend-request', messageIds: [frame.messageId] }, undefined, {
      device: from.device,
      fresh,
    });
    return true;
  }

  private mayAsk(device: string, now: number): boolean {
    const recent = (this.askedAt.get(device) ?? []).filter((at) => now - at < 60_000);
    if (recent.length >= REQUESTS_PER_DEVICE_PER_MINUTE) return false;
    if (this.askedAt.size >= 10_000) this.askedAt.clear();
    this.askedAt.set(device, [...recent, now]);
    return true;
  }

  /** Sends the asked-for messages again to the one device that asked, if it was one they were sealed for. */
  answer(payload: Extract<Payload, { kind: 'resend-request' }>, device: string): Outcome[] {
    for (const messageId of payload.messageIds) {
      const key = `${device}:${messageId}`;
      const times = this.timesSent.get(key) ?? 0;
      if (times >= MAX_RESENDS) continue;
      if (this.timesSent.size >= 10_000) this.timesSent.clear();
      this.timesSent.set(key, times + 1);
      const sent = this.d.ledger.sent(messageId);
      // A device linked since, or anyone else, gets nothing: a resend never widens who can read a message.
      const allowed = sent?.devices.includes(device) === true;
      this.d.outbox.add(
        [payload.from],
        { kind: 'resent', original: { messageId, payload: allowed ? sent.payload : null } },
        undefined,
        { device, fresh: false },
      );
    }
    return [];
  }

  /**
   * A message sent again, by the device it was asked of: it takes its placeholder's place (which
   * may be in another conversation), at the relay's time of the original.
   */
  receive(payload: Extract<Payload, { kind: 'resent' }>, device: string, receivePayload: ReceivePayload): Outcome[] {
    const { original } = payload;
    const asked = this.d.ledger.asked(original.messageId);
    if (!asked || asked.device !== device || asked.username !== payload.from) return [];
    this.d.ledger.answered(original.messageId);
    if (original.payload === null) return [];
    let inner: Payload;
    try {
      inner = Payload.parse(JSON.parse(original.payload));
    } catch {
      return [];
    }
    // Only what this sender wrote, under the id it was asked for; never a resend of a resend.
    if (inner.from !== payload.from || inner.messageId !== original.messageId || !RESENDABLE.has(inner.kind)) return [];
    const placeholderIn = this.d.history.removePlaceholder(original.messageId);
    const outcomes = receivePayload(inner, asked.serverTime, device);
    const movedTo = outcomes.find((o): o is { message: ChatMessage; isNew: boolean } => 'message' in o && o.message.id === original.messageId);
    const gone: Outcome[] =
      placeholderIn !== undefined && movedTo?.message.conversationId !== placeholderIn
        ? [{ removed: { conversationId: placeholderIn, id: original.messageId } }]
        : [];
    return [...gone, ...outcomes];
  }
}
