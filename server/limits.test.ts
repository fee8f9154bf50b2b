import { describe, expect, it } from 'vitest';
import { WindowLimiter } from './limits.js';

describe('per-account budgets', () => {
  it('refuses what would exceed the budget, per key, until the window has passed', () => {
    const limiter = new WindowLimiter(10, 1000);
    expect(limiter.take('alice', 8, 0)).toBe(true);
    expect(limiter.take('alice', 3, 10)).toBe(false);
    expect(limiter.take('alice', 2, 20)).toBe(true);
    expect(limiter.take('bob', 10, 30)).toBe(true);
    expect(limiter.take('alice', 1, 999)).toBe(false);
    expect(limiter.take('alice', 10, 1001)).toBe(true);
  });
});
