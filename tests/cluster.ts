// A relay of three nodes as an operator runs it: separate processes on one PostgreSQL database and
// one Redis, sharing a data folder (attachments), behind HAProxy with the project's deploy/haproxy.cfg.
import path from 'node:path';
import { startHaproxy, type Balancer } from '../bench/haproxy.js';
import { startRelayProcess, type RelayProcess } from '../bench/process.js';
import { freshPostgres } from '../bench/postgres.js';
import type { Cleanups } from './helpers.js';

export interface Cluster {
  /** Where clients connect: the balancer. */
  readonly url: string;
  readonly nodes: RelayProcess[];
  readonly database: string;
  readonly balancer: Balancer;
  /** kill -9 of node i; resolves once it has exited. */
  kill(i: number): Promise<void>;
  /** Starts node i again on its port. */
  restart(i: number): Promise<void>;
  /** Each node's connected sessions, from its health endpoint (null for a node that does not answer). */
  connected(): Promise<(number | null)[]>;
}

export async function startCluster(dir: string, cleanups: Cleanups, options: { redis?: string } = {}): Promise<Cluster> {
  const db = await freshPostgres();
  cleanups.push(() => db.drop());
  const redis = options.redis ?? 'redis://127.0.0.1:6379';
  const data = path.join(dir, 'shared-data');
  const args = ['--database', db.url, '--redis', redis, '--behind-proxy'];
  const start = (port?: number) => startRelayProcess(data, port, args);
  const nodes: RelayProcess[] = [];
  // One after the other: the first applies the migrations, and the log is easier to read.
  for (let i = 0; i < 3; i++) nodes.push(await start());
  cleanups.push(() => Promise.all(nodes.map((n) => n.stop())).then(() => undefined));
  const balancer = await startHaproxy([nodes[0]!.port, nodes[1]!.port, nodes[2]!.port]);
  cleanups.push(() => balancer.stop());
  return {
    url: balancer.url,
    nodes,
    database: db.url,
    balancer,
    async kill(i) {
      const child = nodes[i]!.child;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async restart(i) {
      nodes[i] = await start(nodes[i]!.port);
    },
    connected: () =>
      Promise.all(
        nodes.map(async (n) => {
          try {
            const health = (await (await fetch(`${n.url}/v1/health`)).json()) as { connected?: unknown };
            return typeof health.connected === 'number' ? health.connected : null;
          } catch {
            return null;
          }
        }),
      ),
  };
}
