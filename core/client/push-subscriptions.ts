// Push topics this device follows: subscribing and unsubscribing on the relay, catching up from
// where it left off at every login, and storing only the pushes the relay it first met signed.
import type { Logger } from 'pino';
import { verify } from '../../shared/crypto.js';
import type { PushSubscription } from '../../shared/ipc.js';
import { PushMessage, pushSignaturePayload } from '../../shared/push.js';
import type { PushFrame } from '../../shared/protocol.js';
import type { PushStore } from '../push-store.js';
import type { RelayConnection } from '../relay/connection.js';
import type { Emit } from './events.js';
import type { RelayKeyPin } from './relay-key-pin.js';
import { remoteTopic } from '../../shared/push-topic-key.js';
import type { RemoteTopics } from './remote-topics.js';

/** A change to one subscription's settings. */
export type SubscriptionChange = { muted: boolean } | { minPriority: number };

export interface PushSubscriptionDeps {
  pushes: PushStore;
  relayKey: Pick<RelayKeyPin, 'key'>;
  relay: Pick<RelayConnection, 'state' | 'request'>;
  /** Topics on other servers, which this device reads itself. */
  remote: Pick<RemoteTopics, 'follow' | 'stop'>;
  emit: Emit;
  log: Logger;
}

export class PushSubscriptions {
  constructor(private readonly d: PushSubscriptionDeps) {}

  /** Follows a topic: its server sends what it has cached for it, then every new push. */
  subscribe(topic: string): PushSubscription {
    const { pushes } = this.d;
    const subscription = pushes.subscribe(topic);
    this.d.emit('pushSubscriptions', pushes.subscriptions());
    if (remoteTopic(topic)) this.d.remote.follow(topic);
    else this.follow(pushes.resumePoints().filter((p) => p.topic === topic));
    return subscription;
  }

  unsubscribe(topic: string): void {
    const { pushes, relay } = this.d;
    const removed = pushes.unsubscribe(topic);
    if (removed.length > 0) this.d.emit('pushRemoved', removed);
    this.d.emit('pushSubscriptions', pushes.subscriptions());
    if (remoteTopic(topic)) this.d.remote.stop(topic);
    else if (relay.state === 'online') {
      relay.request({ type: 'push-unsubscribe', topics: [topic] }).catch((err: unknown) => this.d.log.debug({ err }, 'unsubscribe not sent'));
    }
  }

  /** Mutes a topic or sets the priority it notifies from; undefined when not subscribed. */
  change(topic: string, change: SubscriptionChange): PushSubscription | undefined {
    const { pushes } = this.d;
    const subscription = 'muted' in change ? pushes.setMuted(topic, change.muted) : pushes.setMinPriority(topic, change.minPriority);
    if (subscription) this.d.emit('pushSubscriptions', pushes.subscriptions());
    return subscription;
  }

  /** Logged in: every topic of this relay resumes after the last push this device has. */
  online(): void {
    this.follow(this.d.pushes.resumePoints().filter((p) => !remoteTopic(p.topic)));
  }

  /** A push counts only with the relay's signature over exactly what arrived. */
  receive(frame: PushFrame): void {
    const relayKey = this.d.relayKey.key;
    if (!relayKey || !verify(pushSignaturePayload(frame.json), frame.signature, relayKey)) {
      this.d.log.warn('refusing a push whose signature does not verify');
      return;
    }
    let message: PushMessage;
    try {
      message = PushMessage.parse(JSON.parse(frame.json));
    } catch {
      this.d.log.warn('refusing an unreadable push');
      return;
    }
    const item = this.d.pushes.add(message);
    if (item) this.d.emit('push', item);
  }

  private follow(topics: { topic: string; after: string | null }[]): void {
    const { relay } = this.d;
    if (topics.length === 0 || relay.state !== 'online') return;
    relay.request({ type: 'push-subscribe', topics }).catch((err: unknown) => this.d.log.warn({ err }, 'could not follow push topics'));
  }
}
