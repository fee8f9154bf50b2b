// Every budget a client spends on the relay's WebSocket side, in one place: what each counts, per
// what key and over what window. Each is a Counter; on one relay the counts live in this process,
// and a relay of several nodes gives the same budgets a shared store (cluster/budgets.ts), so that
// N nodes do not allow N times the traffic. The interfaces are asynchronous for that store's sake;
// the in-memory counts answer at once. (Waiting link requests are counted with the links
// themselves: links.ts.)
import type { RelayConfig } from './config.js';
import { Seats, TokenBucket, WindowLimiter } from './limits.js';

export interface Counter {
  /**
   * Spends `amount` of key's budget; false (and nothing spent) when that would exceed it. Rejects
   * with BudgetUnavailable when the count cannot be kept (a shared store out of reach).
   */
  take(key: string, amount: number, now: number): Promise<boolean>;
  /** What is left of key's budget now, without spending any. */
  left(key: string, now: number): Promise<number>;
}

/** Things held open at once (streams, subscriptions), per key: taken, then given back. */
export interface Gauge {
  /** Holds one of key's places; null when all are held, else the function that gives it back (once). */
  hold(key: string): Promise<(() => void) | null>;
}

/**
 * A budget that cannot be counted now: the store the relay's nodes share is out of reach. The
 * relay refuses the work rather than let it through uncounted; the client may try again shortly.
 */
export class BudgetUnavailable extends Error {
  constructor(options?: ErrorOptions) {
    super('the relay cannot count this request against its limits right now (its shared store is out of reach): try again shortly', options);
    this.name = 'BudgetUnavailable';
  }
}

export interface Budgets {
  /** Accounts registered, per network address, per hour. */
  registrations: Counter;
  /** Messages stored for delivery, per sending device, per second. */
  sendsPerSecond: Counter;
  /** The same, per day: a device may not send at its per-second rate all day long. */
  sendsPerDay: Counter;
  /** Typing and presence frames, per device, per second. */
  ephemeral: Counter;
  /** Prekey bundles handed out, per requesting account. */
  bundles: Counter;
  /** Prekey bundles of one account's devices handed out to one other account. */
  pairBundles: Counter;
  /** Wrong link codes tried for an account, and from a network address; never relay-wide. */
  linkFailuresPerAccount: Counter;
  linkFailuresPerAddress: Counter;
  /** Push API requests per client address: a burst, then one per interval (ntfy's visitor budget). */
  pushRequests: Counter;
  /** Push streams and subscriptions a client address holds open, HTTP and WebSocket alike. */
  pushSubscriptions: Gauge;
}

/** Prekey bundles one account may fetch per window: enough for a big group, too few to drain everyone's one-time prekeys. */
export const BUNDLES_PER_WINDOW = 2000;
/**
 * Of those, from one other account's devices: a session needs one bundle per device, so this
 * covers a person with several devices starting over a few times, and leaves most of a device's
 * 100 one-time prekeys for everyone else.
 */
export const PAIR_BUNDLES_PER_WINDOW = 20;
export const BUNDLE_WINDOW_MS = 10 * 60_000;
/**
 * Wrong codes an account, and a network address, may try per window: guessing 8 digits stays
 * hopeless. Never a limit for the relay as a whole: that would let anyone with a few accounts
 * stop every honest approval.
 */
export const LINK_FAILURES_PER_ACCOUNT = 10;
export const LINK_FAILURES_PER_ADDRESS = 30;
export const LINK_FAILURE_WINDOW_MS = 10 * 60_000;

export const SECOND = 1000;
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export type BudgetConfig = Pick<
  RelayConfig,
  'registrationsPerHour' | 'sendsPerSecond' | 'sendsPerDay' | 'ephemeralPerSecond' | 'visitorBurst' | 'visitorRefillMs' | 'visitorSubscriptions'
>;

/** The budgets of one relay that shares them with no other, counted in this process's memory. */
export function localBudgets(config: BudgetConfig): Budgets {
  return {
    registrations: new WindowLimiter(config.registrationsPerHour, HOUR),
    sendsPerSecond: new WindowLimiter(config.sendsPerSecond, SECOND),
    sendsPerDay: new WindowLimiter(config.sendsPerDay, DAY),
    ephemeral: new WindowLimiter(config.ephemeralPerSecond, SECOND),
    bundles: new WindowLimiter(BUNDLES_PER_WINDOW, BUNDLE_WINDOW_MS),
    pairBundles: new WindowLimiter(PAIR_BUNDLES_PER_WINDOW, BUNDLE_WINDOW_MS),
    linkFailuresPerAccount: new WindowLimiter(LINK_FAILURES_PER_ACCOUNT, LINK_FAILURE_WINDOW_MS),
    linkFailuresPerAddress: new WindowLimiter(LINK_FAILURES_PER_ADDRESS, LINK_FAILURE_WINDOW_MS),
    pushRequests: new TokenBucket(config.visitorBurst, config.visitorRefillMs),
    pushSubscriptions: new Seats(config.visitorSubscriptions),
  };
}
