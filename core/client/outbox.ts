// The one path that sends: what is written to the outbox goes to the relay oldest first, several on
// their way at once but stored in order, across reconnects too; a failure is kept for whoever wrote the entry.
import type { Logger } from 'pino';
import type { PayloadBody } from '../../shared/payload.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import type { History, OutboxEntry } from '../history.js';
import type { Ledger } from '../e2e/ledger.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';
import { encodePayload, type Delivery } from './delivery.js';
import { isResendable } from './resends.js';

const RETRY_MIN_MS = 1000;
/**
 * Entries on their way at once: over a slow link, one at a time costs a round trip per message (at
 * 300 ms each way, ten minutes for a thousand); sixteen keep it to a fraction of that.
 */
export const OUTBOX_WINDOW = 16;
const RETRY_MAX_MS = 30_000;

export interface OutboxDeps {
  me: string;
  history: History;
  ledger: Ledger;
  delivery: Pick<Delivery, 'deliver'>;
  relay: Pick<RelayConnection, 'state'>;
  announce(message: ChatMessage): void;
  log: Logger;
}

/** Worth sending again later: the connection, the clock or the relay failed, not the message. */
export function isRetryable(err: unknown): boolean {
  return (
    err instanceof RelayError && (err.code === 'offline' || err.code === 'timeout' || err.code === 'internal' || err.code === 'rate_limited')
  );
}

export class Outbox {
  private flushing: Promise<void> | undefined;
  /** flush() was called since the current pass began. */
  private asked = false;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_MIN_MS;
  /** Why a message is still (or finally) unsent, for the caller of send(). */
  private readonly errors = new Map<string, Error>();
  /**
   * Why the last pass stopped with entries left (an entry the relay refused for now): the reason,
   * too, of every entry behind it. Cleared once an entry is sent.
   */
  private stoppedBy: Error | undefined;

  constructor(private readonly d: OutboxDeps) {}

  /** Writes a payload for the recipients' devices (or the one named) to the outbox; sent by flush(). */
  add(recipients: string[], body: PayloadBody, as?: { id: string; sentAt: number }, only?: { device: string; fresh: boolean }): void {
    const messageId = as?.id ?? newId();
    this.d.history.enqueue(messageId, recipients, encodePayload(this.d.me, body, messageId, as?.sentAt ?? Date.now()), only);
  }

  /**
   * Why this entry could not be sent, once: the caller that wrote it takes it. An entry still waiting
   * behind one refused for now shares that one's reason (not "not connected": the relay answered).
   */
  takeError(messageId: string): Error | undefined {
    const error = this.errors.get(messageId);
    this.errors.delete(messageId);
    return error ?? (this.stoppedBy && this.d.history.inOutbox(messageId) ? this.stoppedBy : undefined);
  }

  isEmpty(): boolean {
    return this.d.history.outboxHead() === undefined;
  }

  flushSoon(): void {
    if (this.d.relay.state === 'online') this.flush().catch((err: unknown) => this.d.log.error({ err }, 'outbox failed'));
  }

  /** Oldest first, until the outbox is empty or the connection drops. */
  flush(): Promise<void> {
    // A pass already under way may have looked at the outbox before this caller wrote to it.
    this.asked = true;
    this.flushing ??= this.passes();
    return this.flushing;
  }

  /** Sends nothing more; resolves once the sends on their way (up to OUTBOX_WINDOW) are settled. */
  close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    return this.flushing ?? Promise.resolve();
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.flushSoon();
    }, this.retryDelay);
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
  }

  private async passes(): Promise<void> {
    try {
      while (this.asked) {
        this.asked = false;
        await this.send();
      }
    } finally {
      // In the same turn as the last look at `asked`: a flush() from here on starts a new pass.
      this.flushing = undefined;
    }
  }

  /**
   * Oldest first, with up to OUTBOX_WINDOW entries on their way at once: each names the one before it
   * (`after`), so the relay stores none past a refused one, and the answers are taken in order.
   */
  private async send(): Promise<void> {
    const { history, relay } = this.d;
    const window: Sending[] = [];
    try {
      for (;;) {
        while (window.length < OUTBOX_WINDOW && !this.closed && relay.state === 'online') {
          const last = window.at(-1);
          // Behind an entry whose frame did not leave (it failed first), nothing more goes.
          if (last && !last.dispatched) break;
          const entry = last ? history.outboxAfter(last.entry.seq) : history.outboxHead();
          if (!entry) break;
          const sending = this.dispatch(entry, last?.entry.messageId);
          window.push(sending);
          await Promise.race([sending.leaving, sending.settled]);
        }
        const head = window.shift();
        if (!head) return;
        const outcome = await head.settled;
        if (outcome.ok) {
          this.sent(head.entry, outcome.delivered);
          continue;
        }
        const err = outcome.err;
        if (err instanceof RelayError && err.code === 'out_of_order') {
          // One before it was refused, and is settled by now: what follows goes again, after it.
          await this.settleAll(window);
          continue;
        }
        this.errors.set(head.entry.messageId, err);
        if (isRetryable(err)) {
          this.stoppedBy = err;
          await this.settleAll(window);
          // Still connected (a timeout, a relay hiccup): try again soon rather than at the next send.
          if (relay.state === 'online') this.retryLater();
          return;
        }
        this.d.log.info({ err, messageId: head.entry.messageId }, 'message could not be sent');
        history.dequeue(head.entry.messageId);
        const failed = history.markFailed(head.entry.messageId);
        if (failed) this.d.announce(failed);
      }
    } finally {
      await this.settleAll(window);
    }
  }

  private dispatch(entry: OutboxEntry, after: string | undefined): Sending {
    let left!: () => void;
    const leaving = new Promise<void>((resolve) => (left = resolve));
    const frame = { dispatched: false };
    const settled = this.d.delivery
      .deliver(entry, {
        ...(after !== undefined ? { after } : {}),
        dispatched: () => {
          frame.dispatched = true;
          left();
        },
      })
      .then(
        (delivered): Outcome => ({ ok: true, delivered }),
        (err: unknown): Outcome => ({ ok: false, err: err instanceof Error ? err : new Error(String(err)) }),
      );
    return {
      entry,
      leaving,
      settled,
      get dispatched() {
        return frame.dispatched;
      },
    };
  }

  /**
   * Takes the answers of those still on their way, in order: the ones the relay stored are sent; the
   * rest stay in the outbox and go again (a stored one sent again is a duplicate the relay ignores).
   */
  private async settleAll(window: Sending[]): Promise<void> {
    while (window.length > 0) {
      const next = window.shift()!;
      const outcome = await next.settled;
      if (outcome.ok) this.sent(next.entry, outcome.delivered);
    }
  }

  private sent(entry: OutboxEntry, delivered: Delivered | null): void {
    const { history } = this.d;
    const message = history.batch(() => {
      history.dequeue(entry.messageId);
      if (delivered && entry.device === null && isResendable(entry.payload)) {
        this.d.ledger.keepSent(entry.messageId, { recipients: entry.recipients, payload: entry.payload, ...delivered });
      }
      return history.markSent(entry.messageId, delivered?.serverTime ?? Date.now());
    });
    this.retryDelay = RETRY_MIN_MS;
    this.stoppedBy = undefined;
    if (message) this.d.announce(message);
  }
}

type Delivered = { serverTime: number; devices: string[] };
type Outcome = { ok: true; delivered: Delivered | null } | { ok: false; err: Error };

/** An entry handed to the relay: `leaving` resolves once its frame is written, `settled` with the answer. */
interface Sending {
  readonly entry: OutboxEntry;
  readonly dispatched: boolean;
  leaving: Promise<void>;
  settled: Promise<Outcome>;
}
