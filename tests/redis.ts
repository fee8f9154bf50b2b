// Redis for tests: the machine's shared one (WARBLER_TEST_REDIS, default 127.0.0.1:6379) under a
// namespace of each test's own, and private redis-servers on free loopback ports that a test may
// stop and start again (an outage).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Cluster } from 'ioredis';
import pino from 'pino';
import { connectRedis, type RedisLink } from '../server/cluster/redis.js';
import { freePort } from '../bench/process.js';

const run = promisify(execFile);

export const TEST_REDIS = process.env.WARBLER_TEST_REDIS ?? 'redis://127.0.0.1:6379';

/** A link as a relay node makes one, in a namespace no other test shares. Close it to delete its keys. */
export async function testLink(node = `node-${randomBytes(3).toString('hex')}`, database = `test-${randomBytes(6).toString('hex')}`, url = TEST_REDIS): Promise<RedisLink> {
  const link = await connectRedis(url, node, database, pino({ level: 'silent' }));
  const close = link.close.bind(link);
  return Object.assign(link, {
    async close() {
      if (link.up) await deleteKeys(link);
      await close();
    },
  }) as RedisLink;
}

/** Every key under the link's prefix, gone. */
export async function deleteKeys(link: Pick<RedisLink, 'commands' | 'prefix'>): Promise<void> {
  // A cluster's keys are on its primaries, each scanned on its own; one DEL per key, since a DEL of
  // keys in several slots is refused there.
  const nodes = link.commands instanceof Cluster ? link.commands.nodes('master') : [link.commands];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${link.prefix}*`, 'COUNT', 1000);
      await Promise.all(keys.map((key) => node.del(key)));
      cursor = next;
    } while (cursor !== '0');
  }
}

/** A redis-server of the test's own on a free loopback port, nothing saved; stop() is an outage. */
export interface PrivateRedis {
  readonly url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const cli = (...args: string[]) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  const redis: PrivateRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      await run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'yes']);
      for (let i = 0; i < 100; i++) {
        const answer = await cli('ping').catch(() => ({ stdout: '' }));
        if (answer.stdout.trim() === 'PONG') return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`redis-server on port ${port} did not start`);
    },
    async stop() {
      await cli('shutdown', 'nosave').catch(() => undefined);
      for (let i = 0; i < 100; i++) {
        if ((await cli('ping').catch(() => ({ stdout: '' }))).stdout.trim() !== 'PONG') return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
  await redis.start();
  return redis;
}
