// Push fan-out: live subscribers by topic, the cache, and delayed messages waiting for their time.
// On a relay of several nodes the fleet carries each push to the other nodes' subscribers, and
// lets one node only deliver a due delayed push.
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

/** The relay's other nodes, as pushes see them (cluster/push-fleet.ts). */
export interface PushFleet {
  /** Hears the topic's pushes fanned out on other nodes; the returned function stops. */
  follow(topic: string, deliver: (message: PushMessage) => void): () => void;
  /** Settles once what other nodes announce for the topic from then on reaches this node. */
  following(topic: string): Promise<void>;
  /** Gives a push fanned out here to the other nodes' subscribers. */
  announce(message: PushMessage): void;
  /** Tells the other nodes of a delayed push, so that any of them can deliver it when due. */
  announceDelayed(message: PushMessage): void;
  onDelayed(schedule: (message: PushMessage) => void): () => void;
  /** Whether this node delivers a due delayed push: true on one node only. Rejects when that cannot be told. */
  claim(message: PushMessage): Promise<boolean>;
}

export interface PushHubDeps {
  cache: PushCache;
  log: Logger;
  now: () => number;
  /** How long a push stays in the cache. */
  cacheMs: number;
  fleet?: PushFleet;
}

/** A due delayed push whose claim could not be made (Redis away) is tried again this much later. */
const CLAIM_RETRY_MS = 2_000;

export class PushHub {
  private readonly byTopic = new Map<string, Set<PushSubscriber>>();
  /** Delayed pushes waiting, by id: one timer each, however many times a push is told of. */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** How to stop hearing each topic from the other nodes. */
  private readonly following = new Map<string, () => void>();
  private readonly batch = new WriteBatch();
  private stopDelayed: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly deps: PushHubDeps) {}

  /** Schedules the delayed messages a previous run left in the cache. */
  async start(): Promise<void> {
    this.stopDelayed = this.deps.fleet?.onDelayed((message) => {
      if (message.time > this.nowS()) this.schedule(message);
    });
    for (const message of await this.deps.cache.scheduledPushes(this.nowS())) this.schedule(message);
  }

  stop(): void {
    this.stopped = true;
    this.stopDelayed?.();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const stop of this.following.values()) stop();
    this.following.clear();
    this.batch.close();
  }

  /**
   * Settles once pushes fanned out on any node reach the subscribers of these topics here: a
   * subscriber is told it is open (and reads the cache) only then, so that nothing published after
   * it heard "open" can pass it by.
   */
  async ready(topics: Iterable<string>): Promise<void> {
    const { fleet } = this.deps;
    if (fleet) await Promise.all([...topics].map((topic) => fleet.following(topic)));
  }

  subscribe(subscriber: PushSubscriber): () => void {
    const { fleet } = this.deps;
    for (const topic of subscriber.topics) {
      const set = this.byTopic.get(topic) ?? new Set();
      set.add(subscriber);
      this.byTopic.set(topic, set);
      if (fleet && !this.following.has(topic)) this.following.set(topic, fleet.follow(topic, (message) => this.fanOut(message)));
    }
    return () => {
      for (const topic of subscriber.topics) {
        const set = this.byTopic.get(topic);
        set?.delete(subscriber);
        if (set?.size !== 0) continue;
        this.byTopic.delete(topic);
        this.following.get(topic)?.();
        this.following.delete(topic);
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
    if (time > nowS) {
      this.schedule(message);
      this.deps.fleet?.announceDelayed(message);
    } else {
      this.fanOut(message);
      this.deps.fleet?.announce(message);
    }
    return message;
  }

  subscriberCount(): number {
    let n = 0;
    for (const set of this.byTopic.values()) n += set.size;
    return n;
  }

  private schedule(message: PushMessage, delayMs = message.time * 1000 - this.deps.now()): void {
    if (this.stopped || this.timers.has(message.id)) return;
    const timer = setTimeout(() => {
      this.timers.delete(message.id);
      void this.due(message);
    }, Math.max(0, delayMs));
    timer.unref();
    this.timers.set(message.id, timer);
  }

  /** A delayed push is due: delivered here unless another node claimed it first. */
  private async due(message: PushMessage): Promise<void> {
    const { fleet } = this.deps;
    if (fleet) {
      try {
        if (!(await fleet.claim(message)) || this.stopped) return;
      } catch (err) {
        // Not delivered unclaimed: another node may deliver it too. Tried again while it is worth it.
        if (message.expires > this.nowS()) {
          this.deps.log.warn({ err: (err as Error).message, id: message.id }, 'a due push could not be claimed: trying again');
          this.schedule(message, CLAIM_RETRY_MS);
        }
        return;
      }
    }
    this.fanOut(message);
    fleet?.announce(message);
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
