// A small network on this machine for fault tests: the relay and two clients each in a network
// namespace of their own, the clients' links to the relay losing, delaying and reordering packets.
// Nothing leaves the machine: every address is a private one inside the namespaces, and nothing is
// added to the machine's own namespace but the namespaces' names (deleted again by teardown()).
//
// The faults come from the kernel's netem on veth pairs where the kernel has sch_netem. Where it
// has not (a kernel built without it, and without modules to load it), each link is a VXLAN tunnel
// whose datagrams tests/netns-impairer.ts forwards from a fourth namespace, losing, delaying and
// reordering them as netem would: the kernels' TCP stacks meet the same faults either way.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface Faults {
  /** Packets lost on each link, each way, in percent. */
  lossPct: number;
  /** One-way delay on each link, each way, and its jitter (uniform, ±). */
  delayMs: number;
  jitterMs: number;
  /** Packets sent at once instead of delayed, so they overtake the ones before them (netem's `reorder`). */
  reorderPct: number;
  /** netem's correlation of successive reorder decisions; the user-space impairer draws each one afresh. */
  reorderCorrelationPct: number;
}

export type Emulator = 'netem' | 'userspace';

/** What produced the faults, and what it saw: packets it passed on and packets it dropped, over every link both ways. */
export interface FaultStats {
  emulator: Emulator;
  passed: number;
  dropped: number;
  /** Packets sent on before one that had arrived earlier (counted by the user-space impairer only). */
  reordered: number | undefined;
}

/** The relay's address as each client reaches it, over its own link. */
export const RELAY_ADDRESS = { alice: '10.77.1.1', bob: '10.77.2.1' } as const;
const CLIENT_ADDRESS = { alice: '10.77.1.2', bob: '10.77.2.2' } as const;
/** The user-space mode's underlay: each namespace's veth to the impairer's namespace (never impaired). */
const UNDERLAY = { alice: '10.78.1', bob: '10.78.2', relay: '10.78.3' } as const;
const VXLAN_PORT = 4789;
const PREFIX = 'warbler-nf-';

const HOW_CI_PROVIDES_IT =
  'CI (.ci/run) runs the suite as root on a Linux VM and installs iproute2 (ip, tc) and ethtool; the faults come from the ' +
  "kernel's netem where it has sch_netem (CONFIG_NET_SCH_NETEM, or `modprobe sch_netem`), otherwise from " +
  'tests/netns-impairer.ts on VXLAN links (CONFIG_VXLAN); WARBLER_NETFAULTS=netem (or userspace) accepts only that one.';

async function run(cmd: string, args: string[]): Promise<string> {
  try {
    return (await exec(cmd, args, { encoding: 'utf8', timeout: 20_000 })).stdout;
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string; message: string };
    const why = e.code === 'ENOENT' ? `${cmd} is not installed` : (e.stderr?.trim() || e.message).split('\n')[0]?.replace(/\.$/, '');
    throw new Error(`\`${cmd} ${args.join(' ')}\` failed: ${why}`, { cause: err });
  }
}

const ok = async (cmd: string, args: string[]): Promise<string | undefined> => {
  try {
    await run(cmd, args);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
};

function hasNetAdmin(): boolean {
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const eff = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  // CAP_NET_ADMIN is capability 12.
  return eff !== undefined && (BigInt(`0x${eff}`) & (1n << 12n)) !== 0n;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Namespaces an earlier run left behind when its process died: whatever still runs in them is stopped, then they go. */
async function removeStale(): Promise<void> {
  const names = (await run('ip', ['netns', 'list'])).split('\n').map((l) => l.split(' ')[0] ?? '');
  for (const name of names) {
    const owner = name.startsWith(PREFIX) ? Number(name.slice(PREFIX.length).split('-')[0]) : NaN;
    if (!Number.isInteger(owner) || alive(owner)) continue;
    await deleteNamespace(name);
  }
}

async function deleteNamespace(name: string): Promise<void> {
  const pids = (await run('ip', ['netns', 'pids', name]).catch(() => '')).split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // Deleting the namespace deletes its interfaces, and with them the other ends of its veth pairs.
  await run('ip', ['netns', 'del', name]).catch(() => undefined);
}

/**
 * Which emulator this machine allows, or everything that is missing, said plainly (for the test to
 * fail with: a fault test that cannot make faults must not pass). `wanted` comes from WARBLER_NETFAULTS.
 */
export async function preflight(wanted: Emulator | 'auto'): Promise<{ emulator: Emulator } | { missing: string }> {
  const problems: string[] = [];
  if (process.platform !== 'linux') problems.push(`network namespaces need Linux (this is ${process.platform})`);
  else if (!hasNetAdmin()) {
    problems.push(`this process (uid ${process.getuid?.()}) lacks CAP_NET_ADMIN, which \`ip netns\` and \`tc\` need: run the tests as root`);
  } else {
    const ip = await ok('ip', ['-V']);
    if (ip) problems.push(`iproute2 is missing (${ip}): apt-get install iproute2`);
  }
  if (problems.length > 0) return { missing: `${problems.join('; ')}. ${HOW_CI_PROVIDES_IT}` };

  await removeStale();
  const probe = `${PREFIX}${process.pid}-probe-${randomBytes(3).toString('hex')}`;
  const found = { netem: [] as string[], userspace: [] as string[] };
  const netns = await ok('ip', ['netns', 'add', probe]);
  try {
    if (netns) problems.push(`cannot create a network namespace: ${netns}`);
    else {
      const veth = await ok('ip', ['-n', probe, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'p1']);
      if (veth) problems.push(`cannot create a veth pair: ${veth}`);
      else {
        const netem = await ok('ip', ['netns', 'exec', probe, 'tc', 'qdisc', 'add', 'dev', 'p0', 'root', 'netem', 'delay', '10ms', 'loss', '1%']);
        if (netem) found.netem.push(`the kernel has no netem qdisc (sch_netem, CONFIG_NET_SCH_NETEM): ${netem}`);
        const vxlan = await ok('ip', ['-n', probe, 'link', 'add', 'v0', 'type', 'vxlan', 'id', '9', 'remote', '10.78.9.1', 'dstport', String(VXLAN_PORT)]);
        if (vxlan) found.userspace.push(`the kernel has no VXLAN (CONFIG_VXLAN), which the user-space impairer needs: ${vxlan}`);
        else {
          const ethtool = await ok('ip', ['netns', 'exec', probe, 'ethtool', '-K', 'v0', 'tx', 'off']);
          if (ethtool) found.userspace.push(`ethtool cannot turn off a VXLAN link's checksum offload (apt-get install ethtool): ${ethtool}`);
        }
      }
    }
  } finally {
    if (!netns) await deleteNamespace(probe);
  }
  if (problems.length === 0) {
    if (wanted !== 'userspace' && found.netem.length === 0) return { emulator: 'netem' };
    if (wanted !== 'netem' && found.userspace.length === 0) return { emulator: 'userspace' };
    if (wanted !== 'userspace') problems.push(...found.netem);
    if (wanted !== 'netem') problems.push(...found.userspace);
  }
  return { missing: `${problems.join('; ')}. ${HOW_CI_PROVIDES_IT}` };
}

/** A process in a namespace that speaks JSON lines on stdout (and takes them on stdin). */
export class NsProcess {
  readonly lines: Record<string, unknown>[] = [];
  private stderrTail = '';
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<number | null>;
  readonly name: string;
  readonly child: ChildProcess;

  constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.child = child;
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        this.lines.push({ text: line });
      }
      for (const wake of this.waiters) wake();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-8000);
    });
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
        for (const wake of this.waiters) wake();
      }),
    );
  }

  get stderr(): string {
    return this.stderrTail;
  }

  send(command: object): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** The first line from index `from` on that `match` accepts; fails when the process exits or time runs out. */
  next(match: (line: Record<string, unknown>) => boolean, timeoutMs: number, what: string, from = 0): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      let i = from;
      const check = () => {
        for (; i < this.lines.length; i++) {
          if (match(this.lines[i]!)) return done(() => resolve(this.lines[i]!));
        }
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done(() => reject(new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}; ${this.lastWords()}`)));
        }
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${this.name}: ${what}; ${this.lastWords()}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** What the process said last: its error events (a peer reports its failures on stdout), then its stderr. */
  private lastWords(): string {
    const errors = this.lines.filter((line) => line.event === 'error').slice(-3);
    return `its error events: ${errors.length === 0 ? 'none' : errors.map((e) => String(e.message)).join('\n')}\nits stderr:\n${this.stderrTail}`;
  }

  /** SIGTERM, then SIGKILL if it has not exited within graceMs. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

export interface Lab {
  emulator: Emulator;
  faults: Faults;
  ns: { relay: string; alice: string; bob: string };
  /** Runs a command in a namespace (`ip netns exec`), stdio piped; stopped by teardown(). */
  spawnIn(ns: string, name: string, command: string, args: string[]): NsProcess;
  stats(): Promise<FaultStats>;
  /** Stops every process started here and deletes the namespaces (and so every interface): safe to call twice. */
  teardown(): Promise<void>;
}

/** The namespaces, links and faults. On any error what was made so far is removed before it is thrown. */
export async function buildLab(emulator: Emulator, faults: Faults, impairerScript: string): Promise<Lab> {
  const id = `${PREFIX}${process.pid}-${randomBytes(3).toString('hex')}`;
  const ns = { relay: `${id}-relay`, alice: `${id}-alice`, bob: `${id}-bob` };
  const wan = `${id}-wan`;
  const created: string[] = [];
  const processes: NsProcess[] = [];
  let impairer: NsProcess | undefined;

  const lab: Lab = {
    emulator,
    faults,
    ns,
    spawnIn(where, name, command, args) {
      const child = spawn('ip', ['netns', 'exec', where, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      const proc = new NsProcess(name, child);
      processes.push(proc);
      return proc;
    },
    async stats() {
      if (emulator === 'userspace') {
        const from = impairer!.lines.length;
        impairer!.send({ cmd: 'stats' });
        const s = (await impairer!.next((l) => l.event === 'stats', 10_000, 'its counters', from)) as unknown as Omit<FaultStats, 'emulator'>;
        return { emulator, passed: s.passed, dropped: s.dropped, reordered: s.reordered };
      }
      let passed = 0;
      let dropped = 0;
      for (const [where, dev] of netemDevices) {
        const out = await run('ip', ['netns', 'exec', where, 'tc', '-s', '-j', 'qdisc', 'show', 'dev', dev]);
        const q = (JSON.parse(out) as { kind: string; packets: number; drops: number }[]).find((x) => x.kind === 'netem');
        if (!q) throw new Error(`no netem qdisc on ${dev} in ${where}: ${out}`);
        passed += q.packets;
        dropped += q.drops;
      }
      return { emulator, passed, dropped, reordered: undefined };
    },
    async teardown() {
      await Promise.all(processes.splice(0).map((p) => p.stop()));
      for (const name of created.splice(0)) await deleteNamespace(name);
    },
  };

  const ip = (...args: string[]) => run('ip', args);
  const inNs = (where: string, cmd: string, ...args: string[]) => run('ip', ['netns', 'exec', where, cmd, ...args]);
  const address = async (where: string, dev: string, cidr: string) => {
    await ip('-n', where, 'addr', 'add', cidr, 'dev', dev);
    await ip('-n', where, 'link', 'set', dev, 'up');
  };
  // Links are made inside their namespaces, never in this machine's own: their names need only be unique there.
  const netemDevices: [string, string][] = [
    [ns.alice, 'a0'],
    [ns.relay, 'r1'],
    [ns.bob, 'b0'],
    [ns.relay, 'r2'],
  ];

  try {
    for (const name of emulator === 'userspace' ? [ns.relay, ns.alice, ns.bob, wan] : [ns.relay, ns.alice, ns.bob]) {
      await ip('netns', 'add', name);
      created.push(name);
      await ip('-n', name, 'link', 'set', 'lo', 'up');
    }
    if (emulator === 'netem') {
      await ip('link', 'add', 'a0', 'netns', ns.alice, 'type', 'veth', 'peer', 'name', 'r1', 'netns', ns.relay);
      await ip('link', 'add', 'b0', 'netns', ns.bob, 'type', 'veth', 'peer', 'name', 'r2', 'netns', ns.relay);
      const netem = [
        'delay', `${faults.delayMs}ms`, `${faults.jitterMs}ms`,
        'reorder', `${faults.reorderPct}%`, `${faults.reorderCorrelationPct}%`,
        'loss', `${faults.lossPct}%`,
      ];
      // On both ends of each pair: netem holds back what leaves an interface, so each direction has its own.
      for (const [where, dev] of netemDevices) await inNs(where, 'tc', 'qdisc', 'add', 'dev', dev, 'root', 'netem', ...netem);
    } else {
      // The underlay: a veth from each namespace to the impairer's, without faults.
      const ends = [
        [ns.alice, 'w1', UNDERLAY.alice],
        [ns.bob, 'w2', UNDERLAY.bob],
        [ns.relay, 'w3', UNDERLAY.relay],
      ] as const;
      for (const [where, wanDev, net] of ends) {
        await ip('link', 'add', wanDev, 'netns', wan, 'type', 'veth', 'peer', 'name', 'u0', 'netns', where);
        await address(wan, wanDev, `${net}.1/24`);
        await address(where, 'u0', `${net}.2/24`);
      }
      // The overlay: point-to-point VXLAN links whose every datagram goes through the impairer (VNI 1: alice, 2: bob).
      const tunnels = [
        [ns.alice, 'a0', 1, UNDERLAY.alice],
        [ns.relay, 'r1', 1, UNDERLAY.relay],
        [ns.bob, 'b0', 2, UNDERLAY.bob],
        [ns.relay, 'r2', 2, UNDERLAY.relay],
      ] as const;
      for (const [where, dev, vni, net] of tunnels) {
        await ip('-n', where, 'link', 'add', dev, 'type', 'vxlan', 'id', String(vni), 'remote', `${net}.1`, 'local', `${net}.2`, 'dev', 'u0', 'dstport', String(VXLAN_PORT), 'nolearning');
        // Checksums computed before encapsulation: with offload the impairer would forward inner
        // TCP segments whose checksum the veth never filled in, and the far end would drop them all.
        await inNs(where, 'ethtool', '-K', dev, 'tx', 'off');
      }
      const links = [
        { vni: 1, ends: [`${UNDERLAY.alice}.2`, `${UNDERLAY.relay}.2`] },
        { vni: 2, ends: [`${UNDERLAY.bob}.2`, `${UNDERLAY.relay}.2`] },
      ];
      impairer = lab.spawnIn(wan, 'the impairer', process.execPath, [
        ...stripTypes(),
        impairerScript,
        JSON.stringify({ port: VXLAN_PORT, links, faults }),
      ]);
      await impairer.next((l) => l.event === 'ready', 15_000, 'ready');
    }
    await address(ns.alice, 'a0', `${CLIENT_ADDRESS.alice}/24`);
    await address(ns.relay, 'r1', `${RELAY_ADDRESS.alice}/24`);
    await address(ns.bob, 'b0', `${CLIENT_ADDRESS.bob}/24`);
    await address(ns.relay, 'r2', `${RELAY_ADDRESS.bob}/24`);
  } catch (err) {
    await lab.teardown();
    throw err;
  }
  return lab;
}

/** Node's flags to run a .ts file as it is (on by default from Node 23.6; the suite runs on 24). */
export function stripTypes(): string[] {
  return (process.features as { typescript?: unknown }).typescript ? [] : ['--experimental-strip-types'];
}
