// Places held at once (push streams and subscriptions per address), counted across the nodes in
// one Redis hash per key: a field per node with how many it holds ("n:<node>"), and until when
// that count stands ("u:<node>"). The holding node renews its fields while it holds any; a node
// that dies stops renewing, and its places are dropped by the next hold once they lapse. Every
// write states the node's whole count (never +1/-1), so a write that failed, or a Redis that
// restarted empty, is made right by the next renewal.
import type { RedisClient } from './redis.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Gauge } from '../budgets.js';
import { counted } from './counters.js';
import { defineScript, REDIS_NOW_MS, type Script } from './script.js';

/** How long a node's count stands without renewal: a dead node's places are free after this. */
export const SEAT_LEASE_MS = 30_000;

/** ARGV: node, its count with the new place, limit, lease ms. Drops lapsed nodes' fields on the way. */
const HOLD = `${REDIS_NOW_MS}
local mine = 'n:' .. ARGV[1]
local fields = redis.call('HGETALL', KEYS[1])
local others = 0
for i = 1, #fields, 2 do
  local field = fields[i]
  if string.sub(field, 1, 2) == 'n:' and field ~= mine then
    local node = string.sub(field, 3)
    local lapses = tonumber(redis.call('HGET', KEYS[1], 'u:' .. node) or '0')
    if lapses < now then redis.call('HDEL', KEYS[1], field, 'u:' .. node)
    else others = others + tonumber(fields[i + 1]) end
  end
end
if others + tonumber(ARGV[2]) > tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], mine, ARGV[2], 'u:' .. ARGV[1], now + tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/** ARGV: node, its count, lease ms. States (or, at 0, removes) the node's count; renews its lease. */
const STATE = `${REDIS_NOW_MS}
if tonumber(ARGV[2]) <= 0 then
  redis.call('HDEL', KEYS[1], 'n:' .. ARGV[1], 'u:' .. ARGV[1])
  return 1
end
redis.call('HSET', KEYS[1], 'n:' .. ARGV[1], ARGV[2], 'u:' .. ARGV[1], now + tonumber(ARGV[3]))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1`;

const Flag = z.union([z.literal(0), z.literal(1)]);

export class RedisSeats implements Gauge {
  private readonly holdScript: Script<0 | 1>;
  private readonly stateScript: Script<0 | 1>;
  /** Places this node holds, per key: the truth each write to Redis states. */
  private readonly mine = new Map<string, number>();
  /** Keys whose last write failed: stated again at the next renewal, even at 0. */
  private readonly unsaid = new Set<string>();
  private readonly renewal: NodeJS.Timeout;

  constructor(
    redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly perKey: number,
    private readonly node: string,
    private readonly log: Logger,
    private readonly leaseMs = SEAT_LEASE_MS,
  ) {
    this.holdScript = defineScript(redis, 'warblerSeatsHold', HOLD, Flag);
    this.stateScript = defineScript(redis, 'warblerSeatsState', STATE, Flag);
    this.renewal = setInterval(() => void this.renew(), Math.max(100, Math.floor(leaseMs / 3)));
    this.renewal.unref();
  }

  async hold(key: string): Promise<(() => void) | null> {
    const count = (this.mine.get(key) ?? 0) + 1;
    this.mine.set(key, count);
    let held: boolean;
    try {
      held = (await counted(() => this.holdScript(this.keyPrefix + key, this.node, count, this.perKey, this.leaseMs))) === 1;
    } catch (err) {
      this.giveBack(key);
      throw err;
    }
    if (!held) {
      this.giveBack(key);
      return null;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.giveBack(key);
      void this.state(key);
    };
  }

  /** Stops renewing: what this node holds lapses within a lease unless given back first. */
  stop(): void {
    clearInterval(this.renewal);
  }

  private giveBack(key: string): void {
    const left = (this.mine.get(key) ?? 1) - 1;
    if (left > 0) this.mine.set(key, left);
    else this.mine.delete(key);
  }

  private async state(key: string): Promise<void> {
    try {
      await this.stateScript(this.keyPrefix + key, this.node, this.mine.get(key) ?? 0, this.leaseMs);
      this.unsaid.delete(key);
    } catch (err) {
      if (!this.unsaid.has(key)) this.log.debug({ err: (err as Error).message }, 'seats: not stated (again at the next renewal)');
      this.unsaid.add(key);
    }
  }

  private async renew(): Promise<void> {
    await Promise.all([...new Set([...this.mine.keys(), ...this.unsaid])].map((key) => this.state(key)));
  }
}
