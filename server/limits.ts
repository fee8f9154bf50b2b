// A budget over a fixed time window, kept per key (an account, a device, an address) rather than
// per connection: reconnecting must not reset it.
import type { Counter } from './budgets.js';

export class WindowLimiter implements Counter {
  private readonly used = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  /** Spends `amount` of key's budget; false (and nothing spent) when that would exceed it. */
  take(key: string, amount: number, now: number): boolean {
    let entry = this.used.get(key);
    if (!entry || now - entry.start > this.windowMs) {
      if (this.used.size > 100_000) this.sweep(now);
      entry = { start: now, count: 0 };
      this.used.set(key, entry);
    }
    if (entry.count + amount > this.perWindow) return false;
    entry.count += amount;
    return true;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.used) if (now - entry.start > this.windowMs) this.used.delete(key);
  }
}
