// Pushes across a relay's nodes. A node hears a topic's channel ("topic:<name>") while it has
// subscribers to that topic, and each push fanned out on one node is published there for the
// others; the node that published it skips its own copy (it fanned out locally already). Delayed
// pushes are told to every node ("push-delayed"), so that any node still up delivers them, and the
// one that claims a due push in Redis (SET NX) is the one that fans it out.
import type { Logger } from 'pino';
import { PushMessage } from '../push/message.js';
import type { PushFleet } from '../push/hub.js';
import type { RedisLink } from './redis.js';

const DELAYED = 'push-delayed';
/** A claim outlives any node's late timer for the same push by far, then goes. */
const MIN_CLAIM_MS = 60_000;

export class RedisPushFleet implements PushFleet {
  constructor(
    private readonly link: Pick<RedisLink, 'prefix' | 'commands' | 'bus'>,
    private readonly log: Logger,
  ) {}

  follow(topic: string, deliver: (message: PushMessage) => void): () => void {
    return this.link.bus.subscribe(`topic:${topic}`, (body, from) => {
      if (from === this.link.bus.node) return;
      const message = this.read(body, `topic:${topic}`);
      if (message?.topic === topic) deliver(message);
      else if (message) this.log.warn({ channel: `topic:${topic}`, topic: message.topic }, 'bus: a push for another topic dropped');
    });
  }

  following(topic: string): Promise<void> {
    return this.link.bus.subscribed(`topic:${topic}`);
  }

  announce(message: PushMessage): void {
    this.link.bus.publish(`topic:${message.topic}`, message);
  }

  announceDelayed(message: PushMessage): void {
    this.link.bus.publish(DELAYED, message);
  }

  onDelayed(schedule: (message: PushMessage) => void): () => void {
    return this.link.bus.subscribe(DELAYED, (body, from) => {
      if (from === this.link.bus.node) return;
      const message = this.read(body, DELAYED);
      if (message) schedule(message);
    });
  }

  async claim(message: PushMessage): Promise<boolean> {
    const keepMs = Math.max(MIN_CLAIM_MS, (message.expires - message.time) * 1000);
    const answer = await this.link.commands.set(`${this.link.prefix}push-due:${message.id}`, this.link.bus.node, 'PX', keepMs, 'NX');
    return answer === 'OK';
  }

  private read(body: unknown, channel: string): PushMessage | undefined {
    const parsed = PushMessage.safeParse(body);
    if (parsed.success) return parsed.data;
    this.log.warn({ channel, err: parsed.error.message }, 'bus: a push that is not one dropped');
    return undefined;
  }
}
