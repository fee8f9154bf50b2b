// Sends a logged-in device what is queued for it, in order, page by page; says `drained` once the
// backlog it found at login has gone out. Once it has caught up, what is queued next is handed to
// it as it is committed and sent without reading the queue again: every path that queues an
// envelope hands it over (SessionRegistry.deliver), in the order of the seqs, so nothing can come
// between the last envelope sent and the next one handed over. While it has not caught up (a
// backlog, a page waiting for the client to read), a hand-over only makes it read the queue again.
import type { Sealed, ServerFrame } from '../../shared/protocol.js';
import type { StoredEnvelope } from '../storage/queue-store.js';
import type { SessionContext } from './context.js';

const PAGE = 500;
/**
 * Bytes the client has not read yet past which the next page waits: a device with a long backlog,
 * or one that stops reading, holds at most about this much of it in the relay's memory.
 */
const PAUSE_BYTES = 1024 * 1024;
const PAUSE_CHECK_MS = 10;

export class QueuePump {
  /** The last envelope sent on this connection: the next page starts after it. */
  private lastSentSeq = 0;
  private pumping = false;
  private again = false;
  private drainedSent = false;
  /** Everything queued for the device up to lastSentSeq has been sent, and nothing after it is known. */
  private caughtUp = false;

  constructor(private readonly session: SessionContext) {}

  /** Envelopes just committed for this device, in seq order. */
  deliver(envelopes: readonly StoredEnvelope[]): void {
    if (!this.session.identity || this.session.closed) return;
    if (!this.caughtUp || this.session.buffered > PAUSE_BYTES) {
      void this.pump();
      return;
    }
    for (const envelope of envelopes) {
      // Already read from the queue by a page that ran after the commit.
      if (envelope.seq <= this.lastSentSeq) continue;
      this.session.sendFrame(envelopeFrame(envelope));
      this.lastSentSeq = envelope.seq;
    }
  }

  async pump(): Promise<void> {
    const { identity, deps } = this.session;
    if (!identity || this.session.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    this.caughtUp = false;
    try {
      for (;;) {
        this.again = false;
        const batch = await deps.stores.queues.pending(identity.device, this.lastSentSeq, PAGE);
        for (const envelope of batch) {
          while (this.session.buffered > PAUSE_BYTES && !this.session.closed) await new Promise((r) => setTimeout(r, PAUSE_CHECK_MS));
          if (this.session.closed) return;
          this.session.sendFrame(envelopeFrame(envelope));
          this.lastSentSeq = envelope.seq;
        }
        if (this.session.closed) return;
        if (batch.length < PAGE && !this.again) break;
      }
      this.caughtUp = true;
      if (!this.drainedSent) {
        this.drainedSent = true;
        this.session.sendFrame({ type: 'drained' });
      }
    } catch (err) {
      deps.log.error({ err }, 'could not read the device queue');
    } finally {
      this.pumping = false;
    }
  }
}

function envelopeFrame(e: StoredEnvelope): ServerFrame {
  const from = { username: e.fromUsername, device: e.fromDevice };
  return e.kind === 'message'
    ? // Stored as the sender's frame gave it, after that frame passed its schema.
      { type: 'envelope', kind: 'message', seq: e.seq, messageId: e.messageId, from, serverTime: e.serverTime, sealed: JSON.parse(e.sealed) as Sealed }
    : { type: 'envelope', kind: 'delivered', seq: e.seq, messageId: e.messageId, from, serverTime: e.serverTime };
}
