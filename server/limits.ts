// The budgets' counts in this process's memory, kept per key (an account, a device, an address)
// rather than per connection: reconnecting must not reset them. Each map forgets keys that are as
// good as new once it grows large, so a stream of fresh addresses cannot grow it without end. They
// answer with promises already settled: the interfaces are asynchronous for a shared store's sake.
import type { Counter, Gauge } from './budgets.js';

const SWEEP_ABOVE = 100_000;

/** A budget over a fixed time window. */
export class WindowLimiter implements Counter {
  private readonly used = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  take(key: string, amount: number, now: number): Promise<boolean> {
    return Promise.resolve(this.takeNow(key, amount, now));
  }

  left(key: string, now: number): Promise<number> {
    return Promise.resolve(this.leftNow(key, now));
  }

  private takeNow(key: string, amount: number, now: number): boolean {
    let entry = this.used.get(key);
    if (!entry || now - entry.start > this.windowMs) {
      if (this.used.size > SWEEP_ABOVE) this.sweep(now);
      entry = { start: now, count: 0 };
      this.used.set(key, entry);
    }
    if (entry.count + amount > this.perWindow) return false;
    entry.count += amount;
    return true;
  }

  private leftNow(key: string, now: number): number {
    const entry = this.used.get(key);
    return !entry || now - entry.start > this.windowMs ? this.perWindow : this.perWindow - entry.count;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.used) if (now - entry.start > this.windowMs) this.used.delete(key);
  }
}

/** A burst, then one more every refill interval: ntfy's visitor request budget. */
export class TokenBucket implements Counter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly refillMs: number,
  ) {}

  take(key: string, amount: number, now: number): Promise<boolean> {
    return Promise.resolve(this.takeNow(key, amount, now));
  }

  left(key: string, now: number): Promise<number> {
    return Promise.resolve(this.leftNow(key, now));
  }

  private takeNow(key: string, amount: number, now: number): boolean {
    const tokens = this.leftNow(key, now);
    if (tokens < amount) return false;
    if (!this.buckets.has(key) && this.buckets.size > SWEEP_ABOVE) this.sweep(now);
    this.buckets.set(key, { tokens: tokens - amount, at: now });
    return true;
  }

  private leftNow(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return this.burst;
    return Math.min(this.burst, bucket.tokens + Math.max(0, now - bucket.at) / this.refillMs);
  }

  private sweep(now: number): void {
    for (const key of this.buckets.keys()) if (this.leftNow(key, now) >= this.burst) this.buckets.delete(key);
  }
}

/** A number of places per key held at once; a key with none held is forgotten. */
export class Seats implements Gauge {
  private readonly held = new Map<string, number>();

  constructor(private readonly perKey: number) {}

  hold(key: string): Promise<(() => void) | null> {
    return Promise.resolve(this.holdNow(key));
  }

  private holdNow(key: string): (() => void) | null {
    const count = this.held.get(key) ?? 0;
    if (count >= this.perKey) return null;
    this.held.set(key, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }
}
