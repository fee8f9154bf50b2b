// npm run bench -- cluster: the raw relay load (bench/raw/, pre-sealed envelopes on the wire
// protocol) against one node on SQLite, one node on PostgreSQL and Redis, and three nodes on them
// behind HAProxy (deploy/haproxy.cfg). Figures: delivered messages/s in a closed loop, the server
// CPU per message (every node's; HAProxy's, and PostgreSQL's and Redis's together, apart: on one
// node, SQLite's work is in the relay's own figure), and p50/p99 in an open loop at half the
// found maximum (or at --rate). Behind the balancer most pairs of people are on different nodes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuSeconds, programsCpuSeconds } from './cpu.js';
import { startHaproxy } from './haproxy.js';
import { freshPostgres } from './postgres.js';
import { startRelayProcess, type RelayProcess } from './process.js';
import { Load } from './raw/load.js';
import { WarblerTarget, type Target } from './raw/targets.js';

export interface ClusterBenchOptions {
  clients: number;
  seconds: number;
  window: number;
  redis: string;
  /**
   * The open loop's rate, msg/s; by default half the closed loop's. A fixed rate compares
   * deployments (and runs) at the same load, where half of each one's own maximum does not.
   */
  rate?: number;
  /** Where each relay node writes a CPU profile of its run, if given. */
  relayCpuProfileDir?: string;
}

/** The programs whose CPU counts as the database's: every PostgreSQL backend, and Redis. */
const SERVICES = ['postgres', 'redis-server'];

type Mode = 'sqlite, 1 node' | 'postgres+redis, 1 node' | 'postgres+redis, 3 nodes behind haproxy';

interface Deployment {
  target: Target;
  /** HAProxy's process, when there is one. */
  balancerPid?: number;
}

async function deploy(mode: Mode, dir: string, o: ClusterBenchOptions, cleanups: (() => Promise<void>)[]): Promise<Deployment> {
  const data = path.join(dir, 'relay');
  const profile = o.relayCpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(o.relayCpuProfileDir)] : [];
  if (mode === 'sqlite, 1 node') {
    const relay = await startRelayProcess(data, undefined, [], profile);
    cleanups.push(() => relay.stop());
    return { target: new WarblerTarget(relay.url, [relay.child.pid!], async () => undefined, dir) };
  }
  const db = await freshPostgres();
  cleanups.push(() => db.drop());
  const args = ['--database', db.url, '--redis', o.redis, '--behind-proxy'];
  const count = mode === 'postgres+redis, 1 node' ? 1 : 3;
  const nodes: RelayProcess[] = [];
  for (let i = 0; i < count; i++) nodes.push(await startRelayProcess(data, undefined, args, profile));
  cleanups.push(() => Promise.all(nodes.map((n) => n.stop())).then(() => undefined));
  const pids = nodes.map((n) => n.child.pid!);
  if (count === 1) return { target: new WarblerTarget(nodes[0]!.url, pids, async () => undefined, dir) };
  const balancer = await startHaproxy([nodes[0]!.port, nodes[1]!.port, nodes[2]!.port]);
  cleanups.push(() => balancer.stop());
  return { target: new WarblerTarget(balancer.url, pids, async () => undefined, dir), balancerPid: balancer.child.pid! };
}

async function measure(mode: Mode, o: ClusterBenchOptions): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-cluster-'));
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const { target, balancerPid } = await deploy(mode, dir, o, cleanups);
    const load = await Load.connect(target, o.clients);
    await load.warmUp();
    const balancerBefore = balancerPid === undefined ? null : cpuSeconds(balancerPid);
    const servicesBefore = programsCpuSeconds(SERVICES);
    const closed = await load.closedLoop(o.window, { seconds: o.seconds });
    const servicesAfter = programsCpuSeconds(SERVICES);
    const balancerAfter = balancerPid === undefined ? null : cpuSeconds(balancerPid);
    const open = await load.openLoop(o.rate ?? closed.perSecond / 2, o.seconds);
    load.close();
    const figures = {
      mode,
      deliveredPerSecond: closed.perSecond,
      relayCpuMicrosPerMessage: closed.relayCpuMicrosPerMessage,
      haproxyCpuMicrosPerMessage:
        balancerBefore === null || balancerAfter === null ? null : Math.round(((balancerAfter - balancerBefore) * 1e7) / closed.delivered) / 10,
      databaseCpuMicrosPerMessage: Math.round(((servicesAfter - servicesBefore) * 1e7) / closed.delivered) / 10,
      generatorCpuMicrosPerMessage: closed.generatorCpuMicrosPerMessage,
      openLoopRate: open.rate,
      p50MsOpenLoop: open.p50Ms,
      p99MsOpenLoop: open.p99Ms,
    };
    console.error(`cluster: ${JSON.stringify(figures)}`);
    return figures;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const MODES: Mode[] = ['sqlite, 1 node', 'postgres+redis, 1 node', 'postgres+redis, 3 nodes behind haproxy'];

export async function benchCluster(o: ClusterBenchOptions, modes: Mode[] = MODES): Promise<Record<string, unknown>> {
  const results: Record<string, unknown>[] = [];
  for (const mode of modes) results.push(await measure(mode, o));
  const figure = (mode: Mode, name: string) => (results.find((r) => r.mode === mode)?.[name] as number | null | undefined) ?? null;
  const sqliteCpu = figure('sqlite, 1 node', 'relayCpuMicrosPerMessage');
  const postgresCpu = figure('postgres+redis, 1 node', 'relayCpuMicrosPerMessage');
  const postgresDatabaseCpu = figure('postgres+redis, 1 node', 'databaseCpuMicrosPerMessage');
  const ratio = (a: number | null, b: number | null) => (a && b ? Math.round((a / b) * 100) / 100 : null);
  return {
    case: 'cluster',
    clients: o.clients,
    window: o.window,
    seconds: o.seconds,
    results,
    ratios: {
      postgresCpuVsSqlite: ratio(postgresCpu, sqliteCpu),
      /** The relay's CPU with PostgreSQL's and Redis's, against the SQLite relay's (its database inside). */
      postgresWithDatabaseCpuVsSqlite: ratio(postgresCpu === null || postgresDatabaseCpu === null ? null : postgresCpu + postgresDatabaseCpu, sqliteCpu),
    },
  };
}
