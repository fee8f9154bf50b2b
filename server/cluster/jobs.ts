// Periodic jobs (pruning what expired) on one node of a relay at a time: each round, the node that
// first claims the job in Redis runs it, and the claim stands for most of the interval, so every
// node's timer may fire and the job still runs about once per interval across the fleet.
import type { RedisLink } from './redis.js';

/** Whether this node runs the job this round; rejects when Redis cannot be asked. */
export async function claimRound(link: Pick<RedisLink, 'prefix' | 'commands' | 'bus'>, job: string, intervalMs: number): Promise<boolean> {
  // A little under the interval: the node that ran the last round can claim the next on time.
  const holdMs = Math.max(1000, Math.floor(intervalMs * 0.9));
  return (await link.commands.set(`${link.prefix}job:${job}`, link.bus.node, 'PX', holdMs, 'NX')) === 'OK';
}
