// The Redis side of a relay of several nodes: one connection for commands (shared budgets, claims,
// who is online where) and one in subscriber mode for the bus. Both reconnect by themselves; while
// Redis is away, commands fail at once instead of queueing, so a node refuses work it cannot share
// rather than piling it up in memory. The same address may name one Redis or any node of a Redis
// Cluster: the relay asks the server which, so an operator who outgrows one Redis changes nothing
// but the server behind the address.
import { createHash } from 'node:crypto';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { RedisBus } from './bus.js';

/** A connection to one Redis or to a Redis Cluster: the commands the relay sends are the same. */
export type RedisClient = Redis | Cluster;

export interface RedisLink {
  /**
   * What every key and channel of this relay starts with. Nodes of one relay share a database, so
   * it is derived from the database's address: relays (and test runs) sharing one Redis stay apart.
   */
  readonly prefix: string;
  readonly commands: RedisClient;
  readonly bus: RedisBus;
  /** Both connections are up. */
  readonly up: boolean;
  close(): Promise<void>;
}

/** What the keys and channels of the relay whose database is at this address start with. */
export function redisPrefix(database: string): string {
  return `warbler:${createHash('sha256').update(database).digest('hex').slice(0, 12)}:`;
}

// Back off up to 2 s between attempts, for ever: a node recovers by itself when Redis returns.
const retry = (attempt: number) => Math.min(100 * attempt, 2000);

/** Waits for the first connection (a relay that cannot reach Redis at start does not start). */
export async function connectRedis(url: string, node: string, database: string, log: Logger): Promise<RedisLink> {
  const prefix = redisPrefix(database);
  const options: RedisOptions = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: retry,
    connectionName: `warbler-${node}`,
  };
  // ioredis rejects a failed first connection with "Connection is closed"; the cause came as an error event.
  let lastError: string | undefined;
  const watch = (name: string, connection: RedisClient) => {
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
  };
  const unreachable = (err: unknown) => new Error(`could not reach Redis at ${redactUrl(url)}: ${lastError ?? (err as Error).message}`, { cause: err });

  const first = new Redis(url, options);
  watch('commands', first);
  let clustered: boolean;
  try {
    await first.connect();
    clustered = /^cluster_enabled:1\b/m.test(await first.info('cluster'));
  } catch (err) {
    first.disconnect();
    throw unreachable(err);
  }
  let commands: RedisClient = first;
  let subscriber: RedisClient;
  if (clustered) {
    first.disconnect();
    commands = clusterClient(url, options, false);
    subscriber = clusterClient(url, options, true);
    watch('commands', commands);
  } else {
    subscriber = new Redis(url, options);
  }
  watch('bus', subscriber);
  try {
    await Promise.all([commands.status === 'ready' ? undefined : commands.connect(), subscriber.connect()]);
  } catch (err) {
    commands.disconnect();
    subscriber.disconnect();
    throw unreachable(err);
  }
  if (commands instanceof Cluster) log.info({ shards: commands.nodes('master').length }, 'redis: a cluster');
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

/**
 * A Redis Cluster reached through the node at `url`; the others are found from it, with the same
 * credentials. The bus's connection keeps one subscriber per shard (sharded publish/subscribe).
 */
function clusterClient(url: string, options: RedisOptions, subscriber: boolean): Cluster {
  const { lazyConnect, enableOfflineQueue, retryStrategy: _, ...perNode } = options;
  const address = new URL(url);
  return new Cluster([url], {
    lazyConnect,
    enableOfflineQueue,
    clusterRetryStrategy: retry,
    shardedSubscribers: subscriber,
    redisOptions: {
      ...perNode,
      ...(address.username ? { username: decodeURIComponent(address.username) } : {}),
      ...(address.password ? { password: decodeURIComponent(address.password) } : {}),
      ...(address.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  });
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
