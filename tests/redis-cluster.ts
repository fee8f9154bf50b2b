// A Redis Cluster of the test's own: three primaries (no replicas) as redis-server processes on free
// loopback ports, each with its folder for the cluster's configuration, nothing saved. A shard
// stopped and started again comes back with its slots, empty, as a restarted primary does.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../bench/process.js';
import { tempDir } from './helpers.js';

const run = promisify(execFile);
const SHARDS = 3;

export interface PrivateRedisCluster {
  /** Any one node's address: the relay finds the others from it. */
  readonly url: string;
  readonly ports: readonly number[];
  stopShard(i: number): Promise<void>;
  startShard(i: number): Promise<void>;
  /** Every shard stopped. */
  close(): Promise<void>;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis cluster: ${what} in ${timeoutMs} ms`);
}

export async function privateRedisCluster(): Promise<PrivateRedisCluster> {
  const dir = tempDir('warbler-redis-cluster-');
  // The cluster bus port is given too: the default (port + 10000) may be past 65535 or taken.
  const ports: number[] = [];
  const busPorts: number[] = [];
  for (let i = 0; i < SHARDS; i++) {
    ports.push(await freePort());
    busPorts.push(await freePort());
  }
  const cli = (port: number, ...args: string[]) => run('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args]);
  const state = async (port: number) => (await cli(port, 'cluster', 'info')).stdout;

  async function startShard(i: number): Promise<void> {
    const port = ports[i]!;
    await run('redis-server', [
      '--port', String(port),
      '--cluster-port', String(busPorts[i]),
      '--bind', '127.0.0.1',
      '--cluster-enabled', 'yes',
      '--cluster-config-file', `nodes-${port}.conf`,
      '--cluster-node-timeout', '2000',
      '--dir', dir,
      '--save', '',
      '--appendonly', 'no',
      '--daemonize', 'yes',
      '--logfile', path.join(dir, `${port}.log`),
    ]);
    await until(`shard ${port} answering`, async () => (await cli(port, 'ping')).stdout.trim() === 'PONG');
  }

  async function stopShard(i: number): Promise<void> {
    const port = ports[i]!;
    await cli(port, 'shutdown', 'nosave').catch(() => undefined);
    await until(`shard ${port} stopped`, async () => (await cli(port, 'ping').catch(() => ({ stdout: '' }))).stdout.trim() !== 'PONG');
  }

  for (let i = 0; i < SHARDS; i++) await startShard(i);
  await run('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
  const allOk = async () => (await Promise.all(ports.map(state))).every((info) => /cluster_state:ok/.test(info));
  await until('every shard agreeing the cluster is ok', allOk);

  return {
    url: `redis://127.0.0.1:${ports[0]}`,
    ports,
    stopShard,
    async startShard(i) {
      await startShard(i);
      await until('the cluster ok again', allOk);
    },
    async close() {
      for (let i = 0; i < SHARDS; i++) await stopShard(i);
    },
  };
}
