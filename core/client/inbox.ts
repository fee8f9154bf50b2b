// Envelopes from the relay, stored in batches: each batch in one durable transaction, then acked,
// and only then gone from the relay; listeners hear of what changed once it is stored.
import Database from 'better-sqlite3-multiple-ciphers';
import type { Logger } from 'pino';
import type { EnvelopeFrame } from '../../shared/protocol.js';
import type { ChatMessage } from '../../shared/ipc.js';
import type { History } from '../history.js';
import type { Directory } from '../e2e/directory.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';
import type { Conversations } from './conversations.js';
import type { Emit } from './events.js';
import type { Outcome } from './payloads.js';
import type { Receiver } from './receiver.js';

/** Received envelopes are stored and acked in batches of up to this many. */
const BATCH = 256;

export interface InboxDeps {
  history: History;
  directory: Pick<Directory, 'knows' | 'devices'>;
  receiver: Pick<Receiver, 'receive'>;
  relay: Pick<RelayConnection, 'request' | 'reconnectNow'>;
  conversations: Pick<Conversations, 'announceConversation'>;
  /** Senders whose envelopes are acked without a delivery receipt. */
  isBlocked(username: string): boolean;
  /** Resend requests written while receiving go out after the batch. */
  flushOutbox(): void;
  emit: Emit;
  log: Logger;
}

export class Inbox {
  private frames: EnvelopeFrame[] = [];
  private processing = false;
  private drainPending = false;
  private run: Promise<void> | undefined;
  private closed = false;
  /** Acks sent and not answered yet. */
  private readonly acks = new Set<Promise<void>>();

  constructor(private readonly d: InboxDeps) {}

  add(frame: EnvelopeFrame): void {
    this.frames.push(frame);
    this.kick();
  }

  /** The relay sent all it had at login: `drained` is told once what came before is stored. */
  drained(): void {
    this.drainPending = true;
    this.kick();
  }

  /** Anything not stored before the connection dropped will be resent by the relay: start clean. */
  reset(): void {
    this.frames = [];
    this.drainPending = false;
  }

  /** Takes nothing more; resolves once the batch being stored (if any) is done and its ack answered. */
  async close(): Promise<void> {
    this.closed = true;
    await this.run;
    await Promise.all(this.acks);
  }

  private kick(): void {
    if (this.processing || this.closed) return;
    this.processing = true;
    this.run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.process());
  }

  /** Stores a batch of envelopes in one transaction, then acks them; only then are they gone from the relay. */
  private async process(): Promise<void> {
    const { history, emit } = this.d;
    try {
      while (this.frames.length > 0) {
        const batch = this.frames.splice(0, BATCH);
        await this.learnSenders(batch);
        const changed: { message: ChatMessage; isNew: boolean }[] = [];
        const conversations = new Set<string>();
        const removed: { conversationId: string; id: string }[] = [];
        const conversationsRemoved: { id: string; kept: boolean }[] = [];
        let acted = false;
        // Durable: the ack below lets the relay delete its copy.
        history.durable(() => {
          for (const frame of batch) {
            for (const outcome of this.receiveOne(frame)) {
              if ('conversationOnly' in outcome) conversations.add(outcome.conversationOnly);
              else if ('removed' in outcome) removed.push(outcome.removed);
              else if ('conversationRemoved' in outcome) conversationsRemoved.push({ id: outcome.conversationRemoved, kept: outcome.kept });
              else if ('acted' in outcome) acted = true;
              else changed.push(outcome);
            }
          }
        });
        // Stored: show it now; the ack only lets the relay delete its copy.
        for (const { id, kept } of conversationsRemoved) {
          emit('conversationRemoved', id);
          // What came later is shown again, from what is stored.
          if (kept) conversations.add(id);
        }
        for (const gone of removed) {
          emit('removed', gone);
          conversations.add(gone.conversationId);
        }
        // A message that came in the same batch as its conversation's deletion is gone with it.
        const shown = conversationsRemoved.length > 0 ? changed.filter((c) => history.message(c.message.id) !== undefined) : changed;
        for (const { message, isNew } of shown) {
          if (isNew) emit('received', message);
          emit('message', message);
          conversations.add(message.conversationId);
        }
        // Once per batch: a conversation's unread count grows with its backlog, and reading it
        // after every message made draining a long backlog quadratic.
        for (const id of conversations) this.d.conversations.announceConversation(id);
        if (acted) emit('acted');
        this.ack(batch);
      }
      if (this.drainPending) {
        this.drainPending = false;
        await Promise.all(this.acks);
        emit('drained');
      }
      this.d.flushOutbox();
    } catch (err) {
      // Not stored (disk full, database locked…): nothing was acked, so the relay still has it all.
      // Drop the connection; the next one gets the same envelopes again.
      this.d.log.error({ err }, 'could not store received messages; reconnecting');
      this.reset();
      this.d.relay.reconnectNow();
    } finally {
      this.processing = false;
      if (this.frames.length > 0 || this.drainPending) this.kick();
    }
  }

  /**
   * Tells the relay a stored batch may go. The next batch is stored meanwhile: waiting for each
   * answer left the client idle for a quarter of a long backlog's drain.
   */
  private ack(batch: EnvelopeFrame[]): void {
    const noReceipt = batch.filter((f) => f.kind === 'message' && this.d.isBlocked(f.from.username)).map((f) => f.seq);
    const ack = this.d.relay
      .request({ type: 'ack', seqs: batch.map((f) => f.seq), ...(noReceipt.length > 0 ? { noReceipt } : {}) })
      .then(
        () => undefined,
        // The relay resends unacked envelopes on the next connection; the history ignores repeats.
        (err: unknown) => this.d.log.debug({ err }, 'ack not delivered'),
      )
      .finally(() => this.acks.delete(ack));
    this.acks.add(ack);
  }

  /**
   * Learns the device lists of senders whose device is not known yet (a contact's new device), so a
   * message from a device its account does not certify is told apart. Before the batch's transaction:
   * this asks the relay.
   */
  private async learnSenders(batch: EnvelopeFrame[]): Promise<void> {
    const unknown = new Set(batch.filter((f) => f.kind === 'message' && !this.d.directory.knows(f.from.username, f.from.device)).map((f) => f.from.username));
    for (const username of unknown) {
      try {
        await this.d.directory.devices(username, true);
      } catch (err) {
        // An account that is gone (reset): its messages cannot be attributed, and are dropped below.
        if (!(err instanceof RelayError && err.code === 'unknown_recipient')) throw err;
      }
    }
  }

  /**
   * One envelope in its own savepoint. A storage failure aborts the batch (nothing is acked, the
   * relay sends it all again); anything else is this envelope's alone: it must not stop the ones
   * behind it from ever being stored.
   */
  private receiveOne(frame: EnvelopeFrame): Outcome[] {
    try {
      return this.d.history.batch(() => this.d.receiver.receive(frame));
    } catch (err) {
      if (err instanceof Database.SqliteError) throw err;
      this.d.log.error({ err, from: frame.from.username }, 'dropping an envelope that could not be handled');
      return [];
    }
  }
}
