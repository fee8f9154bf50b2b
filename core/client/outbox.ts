// The one path that sends: what is written to the outbox goes to the relay oldest first, one entry
// at a time, so order holds across reconnects; a failure is kept for whoever wrote the entry.
import type { Logger } from 'pino';
import type { PayloadBody } from '../../shared/payload.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import type { Ledger } from '../e2e/ledger.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';
import { encodePayload, type Delivery } from './delivery.js';
import { isResendable } from './resends.js';

const RETRY_MIN_MS = 1000;
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
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay = RETRY_MIN_MS;
  /** Why a message is still (or finally) unsent, for the caller of send(). */
  private readonly errors = new Map<string, Error>();

  constructor(private readonly d: OutboxDeps) {}

  /** Writes a payload for the recipients' devices (or the one named) to the outbox; sent by flush(). */
  add(recipients: string[], body: PayloadBody, as?: { id: string; sentAt: number }, only?: { device: string; fresh: boolean }): void {
    const messageId = as?.id ?? newId();
    this.d.history.enqueue(messageId, recipients, encodePayload(this.d.me, body, messageId, as?.sentAt ?? Date.now()), only);
  }

  /** Why this entry could not be sent, once: the caller that wrote it takes it. */
  takeError(messageId: string): Error | undefined {
    const error = this.errors.get(messageId);
    this.errors.delete(messageId);
    return error;
  }

  isEmpty(): boolean {
    return this.d.history.outboxHead() === undefined;
  }

  flushSoon(): void {
    if (this.d.relay.state === 'online') this.flush().catch((err: unknown) => this.d.log.error({ err }, 'outbox failed'));
  }

  /** Oldest first, one at a time, until the outbox is empty or the connection drops. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /** Sends nothing more; resolves once the entry on its way (if any) is settled. */
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

  private async send(): Promise<void> {
    const { history, relay } = this.d;
    for (;;) {
      if (this.closed || relay.state !== 'online') return;
      const entry = history.outboxHead();
      if (!entry) return;
      try {
        const delivered = await this.d.delivery.deliver(entry);
        const sent = history.batch(() => {
          history.dequeue(entry.messageId);
          if (delivered && entry.device === null && isResendable(entry.payload)) {
            this.d.ledger.keepSent(entry.messageId, { recipients: entry.recipients, payload: entry.payload, ...delivered });
          }
          return history.markSent(entry.messageId, delivered?.serverTime ?? Date.now());
        });
        this.retryDelay = RETRY_MIN_MS;
        if (sent) this.d.announce(sent);
      } catch (err) {
        this.errors.set(entry.messageId, err as Error);
        if (isRetryable(err)) {
          // Still connected (a timeout, a relay hiccup): try again soon rather than at the next send.
          if (relay.state === 'online') this.retryLater();
          return;
        }
        this.d.log.info({ err, messageId: entry.messageId }, 'message could not be sent');
        history.dequeue(entry.messageId);
        const failed = history.markFailed(entry.messageId);
        if (failed) this.d.announce(failed);
      }
    }
  }
}
