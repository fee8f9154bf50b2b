// Push fan-out: live subscribers by topic, the cache, and delayed messages waiting for their time.
import type { Logger } from 'pino';
import type { PushCache } from '../storage/push-cache.js';
import { newPushId, type PushMessage } from './message.js';
import type { PushInput } from './publish.js';
import { OutgoingPush } from './outgoing.js';
import { WriteBatch, type Corkable } from './batch.js';

export interface PushSubscriber {
  topics: ReadonlySet<string>;
  /** Whether this subscriber wants the message (its priority and tag filters). */
  wants(message: PushMessage): boolean;
  /** The stream deliver() writes to: held during a burst of fan-outs, so that the burst leaves it at once. */
  output: Corkable;
  /** The push is shared by every subscriber of this publish: take its bytes, never change it. */
  deliver(push: OutgoingPush): void;
}

export interface PushHubDeps {
  cache: PushCache;
  log: Logger;
  now: () => number;
  /** How long a push stays in the cache. */
  cacheMs: number;
}

export class PushHub {
  private readonly byTopic = new Map<string, Set<PushSubscriber>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly batch = new WriteBatch();

  constructor(private readonly deps: PushHubDeps) {}

  /** Schedules the delayed messages a previous run left in the cache. */
  async start(): Promise<void> {
    for (const message of await this.deps.cache.scheduledPushes(this.nowS())) this.schedule(message);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.batch.close();
  }

  subscribe(subscriber: PushSubscriber): () => void {
    for (const topic of subscriber.topics) {
      const set = this.byTopic.get(topic) ?? new Set();
      set.add(subscriber);
      this.byTopic.set(topic, set);
    }
    return () => {
      for (const topic of subscriber.topics) {
        const set = this.byTopic.get(topic);
        set?.delete(subscriber);
        if (set?.size === 0) this.byTopic.delete(topic);
      }
    };
  }

  /** Stores (unless uncached) and delivers now, or when a delayed message is due. */
  async publish(input: PushInput): Promise<PushMessage> {
    const nowS = this.nowS();
    const time = input.at ?? nowS;
    const message: PushMessage = {
      id: input.id ?? newPushId(),
      time,
      expires: time + Math.round(this.deps.cacheMs / 1000),
      event: 'message',
      topic: input.topic,
      message: input.message,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.tags !== undefined ? { tags: input.tags } : {}),
      ...(input.priority !== undefined ? { priority: input.priority } : {}),
      ...(input.click !== undefined ? { click: input.click } : {}),
      ...(input.actions !== undefined ? { actions: input.actions } : {}),
      ...(input.icon !== undefined ? { icon: input.icon } : {}),
      ...(input.markdown ? { content_type: 'text/markdown' as const } : {}),
      ...(input.attachment ? { attachment: input.attachment } : {}),
    };
    if (input.cache) await this.deps.cache.storePush(message);
    if (time > nowS) this.schedule(message);
    else this.fanOut(message);
    return message;
  }

  subscriberCount(): number {
    let n = 0;
    for (const set of this.byTopic.values()) n += set.size;
    return n;
  }

  private schedule(message: PushMessage): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.fanOut(message);
    }, Math.max(0, message.time * 1000 - this.deps.now()));
    timer.unref();
    this.timers.add(timer);
  }

  /** One encoding per wire form for all the topic's subscribers, each filtering as it asked. */
  private fanOut(message: PushMessage): void {
    const subscribers = this.byTopic.get(message.topic);
    if (!subscribers) return;
    const push = new OutgoingPush(message);
    const holding = this.batch.begin();
    for (const subscriber of subscribers) {
      try {
        if (!subscriber.wants(message)) continue;
        if (holding) this.batch.hold(subscriber.output);
        subscriber.deliver(push);
      } catch (err) {
        this.deps.log.warn({ err }, 'a push subscriber failed');
      }
    }
  }

  private nowS(): number {
    return Math.floor(this.deps.now() / 1000);
  }
}
