// Push topics a session follows: what is cached after the app's last id first, then live pushes,
// each signed by the relay. App sessions read as anyone would (the push API's rules).
import { CloseCode, type ResultData } from '../../shared/protocol.js';
import { AccessError } from '../push/access.js';
import type { Corkable } from '../push/batch.js';
import { pacedCatchUp, type Drainable } from '../push/reader-pace.js';
import { OutgoingPush } from '../push/outgoing.js';
import { RequestError, type Frame, type SessionContext } from './context.js';

/** Cached pushes sent to a session that (re)subscribes, per topic at most. */
const PUSH_CATCH_UP = 1000;

export class PushTopics {
  /** Each followed topic, and how to stop following it; made at the first (most sessions follow none). */
  private followed: Map<string, () => void> | undefined;

  /**
   * output: the connection under the socket, held while a burst of frames is written to it.
   * write: sends a push frame already encoded (signed once for all its subscribers).
   */
  constructor(
    private readonly session: SessionContext,
    private readonly output: Corkable & Drainable,
    private readonly write: (frame: Buffer) => void,
  ) {}

  async subscribe(frame: Frame<'push-subscribe'>): Promise<ResultData['push-subscribe']> {
    this.session.requireIdentity();
    const { deps } = this.session;
    const { hub, access, visitors } = deps.push;
    const topics = frame.topics.filter((t) => !this.followed?.has(t.topic));
    try {
      await access.authorize(null, topics.map((t) => t.topic), 'read');
    } catch (err) {
      if (err instanceof AccessError) throw new RequestError('forbidden', err.message);
      throw err;
    }
    // Each topic holds one of the address's subscriptions, as an HTTP stream does: all or none.
    const held = await Promise.allSettled(topics.map(() => visitors.subscribe(this.session.address)));
    const seats = held.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : null));
    const failed = held.find((outcome) => outcome.status === 'rejected');
    if (failed || seats.some((seat) => seat === null)) {
      for (const seat of seats) seat?.();
      if (failed) throw failed.reason;
      throw new RequestError('rate_limited', 'too many push subscriptions from this address: unsubscribe from some first');
    }
    const nowS = Math.floor(deps.now() / 1000);
    for (const [i, { topic, after }] of topics.entries()) {
      const seat = seats[i]!;
      if (this.session.closed) {
        seat();
        continue;
      }
      // Live pushes that arrive during the catch-up wait behind it: nothing lost, nothing twice.
      let backlog: OutgoingPush[] | null = [];
      const stop = hub.subscribe({
        topics: new Set([topic]),
        wants: () => true,
        output: this.output,
        deliver: (push) => {
          if (!backlog) return this.send(push);
          backlog.push(push);
          // A reader that keeps the catch-up waiting while live pushes pile up: stop holding them (a
          // close waits for a reader that does not read), and let it come back later.
          if (backlog.length > PUSH_CATCH_UP) {
            stop();
            backlog = [];
            this.session.close(CloseCode.policyViolation, 'too far behind its pushes: connect again');
          }
        },
      });
      (this.followed ??= new Map()).set(topic, () => {
        stop();
        seat();
      });
      await hub.ready([topic]);
      const since = after === null ? { fromTime: 0 } : { afterId: after };
      const cached = await deps.stores.pushCache.pushes([topic], since, nowS, PUSH_CATCH_UP);
      const sent = new Set(cached.map((m) => m.id));
      // In as few writes as the socket allows, not one per push, paced by the reader.
      const reader = { buffered: () => this.session.buffered, output: this.output, gone: () => this.session.closed };
      await pacedCatchUp(cached, (m) => this.send(new OutgoingPush(m)), this.output, reader);
      const waiting: OutgoingPush[] = backlog;
      backlog = null;
      for (const push of waiting) if (!sent.has(push.message.id)) this.send(push);
      // Closed while the cache was read: what was just followed goes with the rest.
      if (this.session.closed) this.closed();
    }
    return {};
  }

  async unsubscribe(frame: Frame<'push-unsubscribe'>): Promise<ResultData['push-unsubscribe']> {
    this.session.requireIdentity();
    for (const topic of frame.topics) {
      this.followed?.get(topic)?.();
      this.followed?.delete(topic);
    }
    return {};
  }

  /** The socket closed: stop following every topic. */
  closed(): void {
    for (const stop of this.followed?.values() ?? []) stop();
    this.followed?.clear();
  }

  private send(push: OutgoingPush): void {
    this.write(push.as(this.session.deps.push.signer.frame));
  }
}
