// Periodic jobs (pruning what expired) on one node of a relay at a time. Time is cut into rounds of
// the job's interval, by the relay's clock; in each round the first node to claim it in Redis runs
// the job. Every node's timer fires once an interval, so each round is claimed, once.
import type { RedisLink } from './redis.js';

/** Whether this node runs the job in the round `now` falls in; rejects when Redis cannot be asked. */
export async function claimRound(
  link: Pick<RedisLink, 'prefix' | 'commands' | 'bus'>,
  job: string,
  intervalMs: number,
  now: number,
): Promise<boolean> {
  const round = Math.floor(now / intervalMs);
  // The claim outlives its round a little, so a node whose clock runs behind cannot claim it again.
  return (await link.commands.set(`${link.prefix}job:${job}:${round}`, link.bus.node, 'PX', 2 * intervalMs, 'NX')) === 'OK';
}
