import { describe, expect, it } from 'vitest';
import { Seats, TokenBucket, WindowLimiter } from './limits.js';

/** Takes one, `times` times in turn: what each take answered. */
async function takeOneByOne(bucket: TokenBucket, key: string, times: number, now: number): Promise<boolean[]> {
  const answers: boolean[] = [];
  for (let i = 0; i < times; i++) answers.push(await bucket.take(key, 1, now));
  return answers;
}

describe('a budget over a fixed window', () => {
  it('refuses what would exceed the budget, per key, until the window has passed', async () => {
    const limiter = new WindowLimiter(10, 1000);
    expect(await limiter.take('alice', 8, 0)).toBe(true);
    expect(await limiter.take('alice', 3, 10)).toBe(false);
    expect(await limiter.take('alice', 2, 20)).toBe(true);
    expect(await limiter.take('bob', 10, 30)).toBe(true);
    expect(await limiter.take('alice', 1, 999)).toBe(false);
    expect(await limiter.take('alice', 10, 1001)).toBe(true);
  });

  it('tells what is left without spending it', async () => {
    const limiter = new WindowLimiter(10, 1000);
    expect(await limiter.left('alice', 0)).toBe(10);
    await limiter.take('alice', 7, 0);
    expect(await limiter.left('alice', 500)).toBe(3);
    expect(await limiter.left('alice', 500)).toBe(3);
    expect(await limiter.left('bob', 500)).toBe(10);
    expect(await limiter.left('alice', 1001)).toBe(10);
  });
});

describe('a burst, then one per refill interval', () => {
  it('allows the burst at once, then refills one at a time up to the burst', async () => {
    const bucket = new TokenBucket(3, 100);
    expect(await takeOneByOne(bucket, '10.0.0.1', 4, 0)).toEqual([true, true, true, false]);
    expect(await bucket.take('10.0.0.2', 1, 0)).toBe(true);
    expect(await bucket.take('10.0.0.1', 1, 50)).toBe(false);
    expect(await bucket.take('10.0.0.1', 1, 100)).toBe(true);
    expect(await bucket.take('10.0.0.1', 1, 150)).toBe(false);
    expect(await bucket.left('10.0.0.1', 10_000)).toBe(3);
    expect(await takeOneByOne(bucket, '10.0.0.1', 4, 10_000)).toEqual([true, true, true, false]);
  });

  it('spends nothing on a refused request, and a clock that steps back adds nothing', async () => {
    const bucket = new TokenBucket(2, 100);
    expect(await bucket.take('a', 2, 1000)).toBe(true);
    expect(await bucket.take('a', 1, 1000)).toBe(false);
    expect(await bucket.left('a', 900)).toBe(0);
    expect(await bucket.left('a', 1100)).toBe(1);
  });
});

describe('places held at once', () => {
  it('holds up to the limit per key; giving one back frees it, and twice frees only one', async () => {
    const seats = new Seats(2);
    const first = await seats.hold('a');
    const second = await seats.hold('a');
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(await seats.hold('a')).toBeNull();
    expect(await seats.hold('b')).not.toBeNull();
    first!();
    first!();
    expect(await seats.hold('a')).not.toBeNull();
    expect(await seats.hold('a')).toBeNull();
  });
});
