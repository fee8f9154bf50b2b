// Budgets counted in the Redis the relay's nodes share, so that N nodes allow what one would. Each
// decision is one Lua script (atomic), and each key expires once it is as good as new. A window
// starts at its key's first spend and ends with the key (Redis's clock); a bucket refills by the
// relay's clock (`now`), as the in-memory one does: nodes kept in time by NTP differ by
// milliseconds, a small fraction of a refill interval.
import type { RedisClient } from './redis.js';
import { z } from 'zod';
import { BudgetUnavailable, type Counter } from '../budgets.js';
import { defineScript, type Script } from './script.js';

/** ARGV: amount, limit, window ms. A fixed window that starts at its first spend, as WindowLimiter's. */
const WINDOW_TAKE = `local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local amount = tonumber(ARGV[1])
if used + amount > tonumber(ARGV[2]) then return 0 end
if used == 0 then redis.call('SET', KEYS[1], amount, 'PX', ARGV[3]) else redis.call('INCRBY', KEYS[1], amount) end
return 1`;

/**
 * ARGV: amount (0: only look), burst, refill ms, now (ms). Answers {1 or 0, tokens left} (tokens as
 * text: Lua's numbers reach Redis's reply as integers). A full bucket is no key at all.
 */
const BUCKET_TAKE = `local now = tonumber(ARGV[4])
local amount = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local refill = tonumber(ARGV[3])
local tokens = burst
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
if bucket[1] then tokens = math.min(burst, tonumber(bucket[1]) + math.max(0, now - tonumber(bucket[2])) / refill) end
if amount == 0 then return {1, tostring(tokens)} end
if tokens < amount then return {0, tostring(tokens)} end
tokens = tokens - amount
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * refill) + 1)
return {1, tostring(tokens)}`;

const Flag = z.union([z.literal(0), z.literal(1)]);
const Bucket = z.tuple([Flag, z.string().regex(/^-?[0-9.e+-]+$/)]);

/** Runs a Redis call; a failure to reach Redis (or a reply not understood) refuses the work. */
export async function counted<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new BudgetUnavailable({ cause: err });
  }
}

/** A budget over a fixed time window (per key: the window starts with the key's first spend). */
export class RedisWindow implements Counter {
  private readonly script: Script<0 | 1>;

  constructor(
    private readonly redis: RedisClient,
    /** The keys' common start: the relay's prefix and the budget's name. */
    private readonly keyPrefix: string,
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {
    this.script = defineScript(redis, 'warblerWindowTake', WINDOW_TAKE, Flag);
  }

  async take(key: string, amount: number): Promise<boolean> {
    return (await counted(() => this.script(this.keyPrefix + key, amount, this.perWindow, this.windowMs))) === 1;
  }

  async left(key: string): Promise<number> {
    const used = await counted(async () => z.coerce.number().int().nonnegative().parse((await this.redis.get(this.keyPrefix + key)) ?? 0));
    return Math.max(0, this.perWindow - used);
  }
}

/** A burst, then one more every refill interval (ntfy's visitor request budget). */
export class RedisTokenBucket implements Counter {
  private readonly script: Script<[0 | 1, string]>;

  constructor(
    redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly burst: number,
    private readonly refillMs: number,
  ) {
    this.script = defineScript(redis, 'warblerBucketTake', BUCKET_TAKE, Bucket);
  }

  async take(key: string, amount: number, now: number): Promise<boolean> {
    if (amount <= 0) return true;
    const [ok] = await counted(() => this.script(this.keyPrefix + key, amount, this.burst, this.refillMs, now));
    return ok === 1;
  }

  async left(key: string, now: number): Promise<number> {
    const [, tokens] = await counted(() => this.script(this.keyPrefix + key, 0, this.burst, this.refillMs, now));
    return Number(tokens);
  }
}
