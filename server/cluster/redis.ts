// The Redis side of a relay of several nodes: one connection for commands (shared budgets, claims,
// who is online where) and one in subscriber mode for the bus. Both reconnect by themselves; while
// Redis is away, commands fail at once instead of queueing, so a node refuses work it cannot share
// rather than piling it up in memory.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RedisBus } from './bus.js';

export interface RedisLink {
  /**
   * What every key and channel of this relay starts with. Nodes of one relay share a database, so
   * it is derived from the database's address: relays (and test runs) sharing one Redis stay apart.
   */
  readonly prefix: string;
  readonly commands: Redis;
  readonly bus: RedisBus;
  /** Both connections are up. */
  readonly up: boolean;
  close(): Promise<void>;
}

/** What the keys and channels of the relay whose database is at this address start with. */
export function redisPrefix(database: string): string {
  return `warbler:${createHash('sha256').update(database).digest('hex').slice(0, 12)}:`;
}

/** Waits for the first connection (a relay that cannot reach Redis at start does not start). */
export async function connectRedis(url: string, node: string, database: string, log: Logger): Promise<RedisLink> {
  const prefix = redisPrefix(database);
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // Back off up to 2 s between attempts, for ever: a node recovers by itself when Redis returns.
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
    connectionName: `warbler-${node}`,
  };
  const commands = new Redis(url, options);
  const subscriber = new Redis(url, options);
  // ioredis rejects a failed first connection with "Connection is closed"; the cause came as an error event.
  let lastError: string | undefined;
  for (const [name, connection] of [
    ['commands', commands],
    ['bus', subscriber],
  ] as const) {
    let down = false;
    connection.on('error', (err: Error) => {
      lastError = err.message;
      if (!down) log.warn({ err: err.message, connection: name }, 'redis unreachable');
      down = true;
    });
    connection.on('ready', () => {
      if (down) log.info({ connection: name }, 'redis is back');
      down = false;
    });
  }
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
  } catch (err) {
    commands.disconnect();
    subscriber.disconnect();
    throw new Error(`could not reach Redis at ${redactUrl(url)}: ${lastError ?? (err as Error).message}`, { cause: err });
  }
  const bus = new RedisBus(commands, subscriber, node, prefix, log);
  return {
    prefix,
    commands,
    bus,
    get up() {
      return commands.status === 'ready' && subscriber.status === 'ready';
    },
    async close() {
      bus.close();
      await Promise.allSettled([commands.quit(), subscriber.quit()]);
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

/** A connection URL for logs: the password left out. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}
