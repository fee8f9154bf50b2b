// Lua scripts on the shared Redis: each runs atomically there, so nodes that count the same key at
// the same moment cannot both see room for one more. Loaded once per connection (EVALSHA, and
// EVAL again after a Redis restart forgot it: ioredis does both).
import type { RedisClient } from './redis.js';
import type { z } from 'zod';

/** Calls a script with its one key and its arguments; what it answers, validated. */
export type Script<T> = (key: string, ...args: (string | number)[]) => Promise<T>;

/**
 * Defines `lua` on the connection under `name`. Every script touches one key only, so that each
 * runs on one shard of a Redis cluster too.
 */
export function defineScript<T>(redis: RedisClient, name: string, lua: string, answer: z.ZodType<T>): Script<T> {
  // Several budgets share a script: defined once per connection.
  if (!(name in redis)) redis.defineCommand(name, { numberOfKeys: 1, lua });
  const call = (redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>)[name]!.bind(redis);
  return async (key, ...args) => {
    const raw = await call(key, ...args);
    const parsed = answer.safeParse(raw);
    if (!parsed.success) throw new Error(`Redis script ${name} answered ${JSON.stringify(raw)}`);
    return parsed.data;
  };
}

/** Redis's own clock, in milliseconds: the one every node agrees on. */
export const REDIS_NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;
