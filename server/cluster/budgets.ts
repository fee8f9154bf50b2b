// The budgets of a relay of several nodes, counted in the Redis they share (see budgets.ts for what
// each counts). While Redis is out of reach each budget either refuses the work (BudgetUnavailable:
// the client is told to try again shortly) or, where letting it through costs little, counts it in
// this node's memory alone:
//   refused: registrations, sends (the client's outbox sends again), prekey bundles (a drained
//     one-time prekey cannot be had back), wrong link codes (guessing must stay bounded), push API
//     requests and subscriptions (a 503 the publisher retries);
//   this node's count: typing and presence frames, which nothing keeps and which reach only the
//     devices on this node while the bus is down anyway.
import type { Logger } from 'pino';
import {
  BUNDLES_PER_WINDOW,
  BUNDLE_WINDOW_MS,
  BudgetUnavailable,
  DAY,
  HOUR,
  LINK_FAILURES_PER_ACCOUNT,
  LINK_FAILURES_PER_ADDRESS,
  LINK_FAILURE_WINDOW_MS,
  PAIR_BUNDLES_PER_WINDOW,
  SECOND,
  type BudgetConfig,
  type Budgets,
  type Counter,
} from '../budgets.js';
import { WindowLimiter } from '../limits.js';
import { RedisTokenBucket, RedisWindow } from './counters.js';
import type { RedisLink } from './redis.js';
import { RedisSeats } from './seats.js';

/** A shared count that falls back to this node's own while the shared one is out of reach. */
class OrLocal implements Counter {
  constructor(
    private readonly shared: Counter,
    private readonly local: Counter,
  ) {}

  async take(key: string, amount: number, now: number): Promise<boolean> {
    try {
      return await this.shared.take(key, amount, now);
    } catch (err) {
      if (!(err instanceof BudgetUnavailable)) throw err;
      return this.local.take(key, amount, now);
    }
  }

  async left(key: string, now: number): Promise<number> {
    try {
      return await this.shared.left(key, now);
    } catch (err) {
      if (!(err instanceof BudgetUnavailable)) throw err;
      return this.local.left(key, now);
    }
  }
}

export interface ClusterBudgets extends Budgets {
  /** Stops renewing this node's held places (they lapse unless given back first). */
  stop(): void;
}

export function clusterBudgets(config: BudgetConfig, link: Pick<RedisLink, 'prefix' | 'commands' | 'bus'>, log: Logger): ClusterBudgets {
  const { commands: redis } = link;
  const key = (name: string) => `${link.prefix}budget:${name}:`;
  const window = (name: string, limit: number, ms: number) => new RedisWindow(redis, key(name), limit, ms);
  const seats = new RedisSeats(redis, key('push-subscriptions'), config.visitorSubscriptions, link.bus.node, log);
  return {
    registrations: window('registrations', config.registrationsPerHour, HOUR),
    sendsPerSecond: window('sends-second', config.sendsPerSecond, SECOND),
    sendsPerDay: window('sends-day', config.sendsPerDay, DAY),
    ephemeral: new OrLocal(window('ephemeral', config.ephemeralPerSecond, SECOND), new WindowLimiter(config.ephemeralPerSecond, SECOND)),
    bundles: window('bundles', BUNDLES_PER_WINDOW, BUNDLE_WINDOW_MS),
    pairBundles: window('pair-bundles', PAIR_BUNDLES_PER_WINDOW, BUNDLE_WINDOW_MS),
    linkFailuresPerAccount: window('link-failures-account', LINK_FAILURES_PER_ACCOUNT, LINK_FAILURE_WINDOW_MS),
    linkFailuresPerAddress: window('link-failures-address', LINK_FAILURES_PER_ADDRESS, LINK_FAILURE_WINDOW_MS),
    pushRequests: new RedisTokenBucket(redis, key('push-requests'), config.visitorBurst, config.visitorRefillMs),
    pushSubscriptions: seats,
    stop: () => seats.stop(),
  };
}
