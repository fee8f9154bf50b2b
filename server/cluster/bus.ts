// What crosses nodes: "device X has mail", presence and typing for the nodes of those who should
// see them, pushes for the nodes with subscribers, "device X logged in elsewhere". Redis sharded
// publish/subscribe carries it (a Redis cluster spreads channels over its shards); each node
// subscribes only to the channels of what it holds, so a message goes only where it is wanted.
// Nothing on the bus is durable: what must not be lost is in the database first, and after a
// reconnect each holder re-derives what it may have missed (onReconnect).
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis.js';
import type { Logger } from 'pino';

/** A message on the bus: which node sent it, and what (each subscriber validates `body` itself). */
interface Envelope {
  from: string;
  body: unknown;
}

export type BusHandler = (body: unknown, fromNode: string) => void;

export class RedisBus {
  private readonly handlers = new Map<string, Set<BusHandler>>();
  /** Each subscribed channel's SSUBSCRIBE, settled once Redis has confirmed it (or refused it). */
  private readonly confirmed = new Map<string, Promise<void>>();
  private readonly reconnected = new Set<() => void>();
  private connected = true;
  private closed = false;

  constructor(
    private readonly commands: RedisClient,
    private readonly subscriber: RedisClient,
    /** This node's id: a node hears its own messages too, and skips what it has already done. */
    readonly node: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    subscriber.on('smessage', (channel: string, raw: string) => this.dispatch(channel, raw));
    subscriber.on('close', () => {
      this.connected = false;
    });
    // ioredis subscribes again by itself; what was published while it was away is gone.
    subscriber.on('ready', () => this.back());
    if (subscriber instanceof Cluster) {
      // A cluster's bus is one subscriber per shard: one of them lost (its shard restarted, or its
      // slots moved to another) is replaced, and its channels subscribed again, on its own.
      subscriber.on('-subscriber', () => {
        this.connected = false;
      });
      subscriber.on('subscribersReady', () => this.back());
    }
  }

  private back(): void {
    if (this.connected) return;
    this.connected = true;
    // Re-derived only once Redis has confirmed this node's channels again: read before that, a
    // message stored and published in between reached nobody, and waited for the next one.
    // One channel a command: a cluster refuses channels of several slots in one SSUBSCRIBE.
    const again = [...this.handlers.keys()].map((channel) =>
      this.subscriber.ssubscribe(this.prefix + channel).catch((err: unknown) => {
        this.log.debug({ err: (err as Error).message, channel }, 'bus: subscribing again failed');
      }),
    );
    void Promise.all(again).then(() => {
      if (this.closed) return;
      for (const handler of this.reconnected) handler();
    });
  }

  /** Best effort: when Redis is away the message is dropped and logged (the database has the truth). */
  publish(channel: string, body: unknown): void {
    if (this.closed) return;
    const envelope: Envelope = { from: this.node, body };
    this.commands.spublish(this.prefix + channel, JSON.stringify(envelope)).catch((err: unknown) => {
      this.log.debug({ err: (err as Error).message, channel }, 'bus: publish dropped');
    });
  }

  /** Subscribes (once per channel, however many handlers); the returned function unsubscribes. */
  subscribe(channel: string, handler: BusHandler): () => void {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      const confirmed = this.subscriber.ssubscribe(this.prefix + channel).then(
        () => undefined,
        (err: unknown) => {
          this.log.debug({ err: (err as Error).message, channel }, 'bus: subscribe failed (retried on reconnect)');
        },
      );
      this.confirmed.set(channel, confirmed);
    }
    set.add(handler);
    return () => {
      const current = this.handlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.handlers.delete(channel);
      this.confirmed.delete(channel);
      if (!this.closed) this.subscriber.sunsubscribe(this.prefix + channel).catch(() => undefined);
    };
  }

  /**
   * Settles once Redis has confirmed the channel's subscription (or refused it): what is published
   * from then on reaches this node. Who must not miss a message subscribes, waits for this, and
   * only then reads (or announces) what a publisher acts on.
   */
  subscribed(channel: string): Promise<void> {
    return this.confirmed.get(channel) ?? Promise.resolve();
  }

  /** Runs after the bus comes back from an outage. */
  onReconnect(handler: () => void): () => void {
    this.reconnected.add(handler);
    return () => this.reconnected.delete(handler);
  }

  close(): void {
    this.closed = true;
    this.handlers.clear();
    this.confirmed.clear();
    this.reconnected.clear();
  }

  private dispatch(prefixed: string, raw: string): void {
    const handlers = this.handlers.get(prefixed.slice(this.prefix.length));
    if (!handlers) return;
    let envelope: Envelope;
    try {
      const parsed = JSON.parse(raw) as Partial<Envelope> | null;
      if (!parsed || typeof parsed.from !== 'string') throw new Error('no sender');
      envelope = { from: parsed.from, body: parsed.body };
    } catch (err) {
      this.log.warn({ err: (err as Error).message, channel: prefixed }, 'bus: unreadable message dropped');
      return;
    }
    for (const handler of handlers) {
      try {
        handler(envelope.body, envelope.from);
      } catch (err) {
        this.log.warn({ err, channel: prefixed }, 'bus: a handler failed');
      }
    }
  }
}
