// The envelopes written to the journal and not yet moved to SQLite, per device in seq order, with
// with their totals. Most envelopes are acked within milliseconds and live only here and in the
// journal; what waits longer moves to SQLite.
import type { StoredEnvelope } from '../queue-store.js';

export interface HotEnvelope {
  device: string;
  envelope: StoredEnvelope;
}

const NO_TOTAL = { messages: 0, bytes: 0 } as const;

export class HotQueues {
  /** Per device, its envelopes by seq; seqs only grow, so a Map's order is the queue's. */
  private readonly queues = new Map<string, Map<number, StoredEnvelope>>();
  private readonly totals = new Map<string, { messages: number; bytes: number }>();

  add(device: string, envelope: StoredEnvelope): void {
    let queue = this.queues.get(device);
    if (!queue) this.queues.set(device, (queue = new Map()));
    queue.set(envelope.seq, envelope);
    if (envelope.kind !== 'message') return;
    const total = this.totals.get(device);
    if (total) {
      total.messages += 1;
      total.bytes += envelope.sealed.length;
    } else this.totals.set(device, { messages: 1, bytes: envelope.sealed.length });
  }

  remove(device: string, seq: number): StoredEnvelope | undefined {
    const queue = this.queues.get(device);
    const envelope = queue?.get(seq);
    if (!queue || !envelope) return undefined;
    queue.delete(seq);
    if (queue.size === 0) this.queues.delete(device);
    if (envelope.kind === 'message') {
      const total = this.totals.get(device)!;
      total.messages -= 1;
      total.bytes -= envelope.sealed.length;
      if (total.messages === 0) this.totals.delete(device);
    }
    return envelope;
  }

  forget(device: string): void {
    this.queues.delete(device);
    this.totals.delete(device);
  }

  total(device: string): { readonly messages: number; readonly bytes: number } {
    return this.totals.get(device) ?? NO_TOTAL;
  }

  /** Up to `limit` envelopes of the device after `afterSeq`, none past `upToSeq`. */
  pending(device: string, afterSeq: number, limit: number, upToSeq: number): StoredEnvelope[] {
    const queue = this.queues.get(device);
    const found: StoredEnvelope[] = [];
    if (!queue) return found;
    for (const envelope of queue.values()) {
      if (envelope.seq > upToSeq || found.length >= limit) break;
      if (envelope.seq > afterSeq) found.push(envelope);
    }
    return found;
  }

  /** Every envelope up to `seq`. */
  upTo(seq: number): HotEnvelope[] {
    const found: HotEnvelope[] = [];
    for (const [device, queue] of this.queues) {
      for (const envelope of queue.values()) {
        if (envelope.seq > seq) break;
        found.push({ device, envelope });
      }
    }
    return found;
  }

  /** The oldest server time of any envelope (Infinity when there is none). */
  oldestTime(): number {
    let oldest = Infinity;
    for (const queue of this.queues.values()) for (const envelope of queue.values()) if (envelope.serverTime < oldest) oldest = envelope.serverTime;
    return oldest;
  }

  clear(): void {
    this.queues.clear();
    this.totals.clear();
  }

  devices(): string[] {
    return [...this.queues.keys()];
  }

  /** Every envelope, device by device in seq order. */
  *all(): Generator<HotEnvelope> {
    for (const [device, queue] of this.queues) for (const envelope of queue.values()) yield { device, envelope };
  }
}
