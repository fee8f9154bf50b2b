// npm run bench -- relay --raw: the relay alone, under a load generator that speaks its wire
// protocol with envelopes sealed before the run, beside a plain `ws` relay and a Socket.IO relay
// that store nothing (bench/peers/). Rounds alternate the three, so a machine that slows down
// over the run slows all of them; the figures are medians over rounds, with the ratios.
import { cpuSeconds, ownCpuSeconds } from './cpu.js';
import { rssBytes } from './memory.js';
import { collectGarbage } from './inspector-gc.js';
import { Load, inBatches } from './raw/load.js';
import { startTarget, type TargetName } from './raw/targets.js';

export interface RawRelayOptions {
  clients: number;
  rounds: number;
  /** Seconds of each measured loop. */
  seconds: number;
  /** Messages in flight in the closed loop. */
  window: number;
  /** Idle logged-in connections whose memory and login time are measured (0: none). */
  idle: number;
  /** Where Warbler's relay writes a CPU profile of each run, if given. */
  relayCpuProfileDir?: string;
  /** Warbler's relay with --queue-journal. */
  queueJournal?: boolean;
}

const TARGETS: TargetName[] = ['warbler', 'ws', 'socket.io'];

interface RoundFigures {
  perSecond: number;
  relayCpuMicros: number | null;
  generatorCpuMicros: number;
  p50Ms: number;
  p99Ms: number;
}

async function round(name: TargetName, o: RawRelayOptions): Promise<RoundFigures> {
  const target = await startTarget(name, { cpuProfileDir: o.relayCpuProfileDir, queueJournal: o.queueJournal });
  try {
    const load = await Load.connect(target, o.clients);
    await load.warmUp();
    const closed = await load.closedLoop(o.window, { seconds: o.seconds });
    const open = await load.openLoop(closed.perSecond / 2, o.seconds);
    load.close();
    return {
      perSecond: closed.perSecond,
      relayCpuMicros: closed.relayCpuMicrosPerMessage,
      generatorCpuMicros: closed.generatorCpuMicrosPerMessage,
      p50Ms: open.p50Ms,
      p99Ms: open.p99Ms,
    };
  } finally {
    await target.stop();
  }
}

interface IdleFigures {
  kbPerConnection: number | null;
  /**
   * The same with the target's garbage collected before both readings (through its inspector):
   * what the connections hold, without the garbage of logging them in that is not collected yet.
   */
  kbPerConnectionAfterGc: number | null;
  connectSeconds: number;
  /** The relay's CPU per connection (Warbler: per login), from /proc: what the connect time costs it alone. */
  relayCpuMicrosPerConnect: number | null;
  /** The load generator's: the two share this machine's cores, so the connect time counts both. */
  generatorCpuMicrosPerConnect: number;
}

/** Memory per idle connection and the time to connect (Warbler: log in) them all. */
async function idle(name: TargetName, n: number, queueJournal?: boolean): Promise<IdleFigures> {
  const figures = await idleRun(name, n, false, queueJournal);
  return { ...figures, kbPerConnectionAfterGc: (await idleRun(name, n, true, queueJournal)).kbPerConnection };
}

/** `collect`: the target's garbage collected before each reading of its memory. */
async function idleRun(name: TargetName, n: number, collect: boolean, queueJournal?: boolean): Promise<Omit<IdleFigures, 'kbPerConnectionAfterGc'>> {
  const target = await startTarget(name, { queueJournal });
  try {
    await inBatches(n, 50, (i) => target.prepare(i));
    await new Promise((r) => setTimeout(r, 1000));
    if (collect) await collectGarbage(target.pid);
    const before = rssBytes(target.pid);
    const [relayCpu, ownCpu] = [cpuSeconds(target.pid), ownCpuSeconds()];
    const started = performance.now();
    const clients = await inBatches(n, 500, (i) => target.connect(i));
    const connectSeconds = (performance.now() - started) / 1000;
    const [relayCpuAfter, ownCpuAfter] = [cpuSeconds(target.pid), ownCpuSeconds()];
    await new Promise((r) => setTimeout(r, 2000));
    if (collect) await collectGarbage(target.pid);
    const after = rssBytes(target.pid);
    for (const client of clients) client.close();
    const perConnect = (seconds: number) => Math.round((seconds / n) * 1e6);
    return {
      kbPerConnection: before === null || after === null ? null : Math.round(((after - before) / n / 1024) * 10) / 10,
      connectSeconds: Math.round(connectSeconds * 100) / 100,
      relayCpuMicrosPerConnect: relayCpu === null || relayCpuAfter === null ? null : perConnect(relayCpuAfter - relayCpu),
      generatorCpuMicrosPerConnect: perConnect(ownCpuAfter - ownCpu),
    };
  } finally {
    await target.stop();
  }
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function summarize(rs: RoundFigures[]) {
  const cpu = rs.map((f) => f.relayCpuMicros).filter((x): x is number => x !== null);
  const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)];
  return {
    deliveredPerSecond: median(rs.map((f) => f.perSecond)),
    deliveredPerSecondRange: range(rs.map((f) => f.perSecond)),
    relayCpuMicrosPerMessage: cpu.length ? median(cpu) : null,
    generatorCpuMicrosPerMessage: median(rs.map((f) => f.generatorCpuMicros)),
    p50MsAtHalf: median(rs.map((f) => f.p50Ms)),
    p99MsAtHalf: median(rs.map((f) => f.p99Ms)),
    p99MsAtHalfRange: range(rs.map((f) => f.p99Ms)),
  };
}

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a == null || b == null || b === 0 ? null : Math.round((a / b) * 100) / 100;

export async function benchRawRelay(o: RawRelayOptions): Promise<Record<string, unknown>> {
  const rounds: Record<TargetName, RoundFigures[]> = { warbler: [], ws: [], 'socket.io': [] };
  for (let r = 0; r < o.rounds; r++) {
    // Each round starts with another target, so none always runs first on a cold machine.
    const order = TARGETS.map((_, i) => TARGETS[(i + r) % TARGETS.length]!);
    for (const name of order) {
      const figures = await round(name, o);
      rounds[name].push(figures);
      console.error(`round ${r + 1}/${o.rounds} ${name}: ${JSON.stringify(figures)}`);
    }
  }
  const summary = { warbler: summarize(rounds.warbler), ws: summarize(rounds.ws), 'socket.io': summarize(rounds['socket.io']) };
  const idleFigures: Partial<Record<TargetName, IdleFigures>> = {};
  if (o.idle > 0) {
    for (const name of TARGETS) {
      idleFigures[name] = await idle(name, o.idle, o.queueJournal);
      console.error(`idle ${name}: ${JSON.stringify(idleFigures[name])}`);
    }
  }
  const w = summary.warbler;
  return {
    case: o.queueJournal ? 'relay --raw --queue-journal' : 'relay --raw',
    clients: o.clients,
    contactsPerClient: 8,
    window: o.window,
    seconds: o.seconds,
    rounds: o.rounds,
    summary,
    idle: o.idle > 0 ? { connections: o.idle, ...idleFigures } : null,
    ratios: {
      deliveredPerSecondVsSocketIo: ratio(w.deliveredPerSecond, summary['socket.io'].deliveredPerSecond),
      deliveredPerSecondVsWs: ratio(w.deliveredPerSecond, summary.ws.deliveredPerSecond),
      relayCpuVsWs: ratio(w.relayCpuMicrosPerMessage, summary.ws.relayCpuMicrosPerMessage),
      p99VsSocketIo: ratio(w.p99MsAtHalf, summary['socket.io'].p99MsAtHalf),
    },
  };
}
