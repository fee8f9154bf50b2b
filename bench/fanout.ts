// Push fan-out: one topic, N subscribers on loopback, through the relay's push API (WebSocket
// subscriptions, HTTP publishes) and then through the Mosquitto broker on this machine (MQTT, QoS 0),
// measured the same way by the same client code. The two sides run one after the other, never
// together: 2 × N sockets would not fit this process's file limit.
// All subscribers live in this one process, which shares the machine's cores with the server: the
// CPU each of them used is reported beside the rates, so that a rate limited by the client (it is
// the same client code for both servers, but MQTT's packets cost it more than WebSocket frames) is
// not read as the server's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect as mqttConnect, type MqttClient } from 'mqtt';
import { WebSocket } from 'ws';
import { startRelayProcess, type RelayProcess } from './process.js';
import { cpuSeconds, findProcess, ownCpuSeconds } from './cpu.js';

export interface FanoutBenchOptions {
  subscribers: number;
  /** Messages in the sustained part. */
  messages: number;
  /** Where the relay writes a CPU profile of its whole run (node --cpu-prof), if given. */
  relayCpuProfileDir?: string;
}

const MOSQUITTO_URL = 'mqtt://127.0.0.1:1883';
/** Connections opened at once: more would overflow the listen backlog (Mosquitto's is 100). */
const CONNECT_BATCH = 500;
const CONNECT_TIMEOUT_MS = 20_000;
/** Rounds before the measured ones: the JIT still speeds the fan-out loop up over the first few. */
const WARM_UP = 3;
const ROUNDS = 5;
const ROUND_TIMEOUT_MS = 10_000;
/**
 * Publishes not yet delivered to every subscriber, in the sustained part: enough to keep the
 * pipeline full, few enough that no per-client queue grows without bound (a broker may drop
 * QoS 0 copies for a client that falls behind, which would then count as never delivered).
 */
const WINDOW = 16;
/** Each side's sustained part stops here with what it measured, so the whole run stays bounded. */
const SUSTAINED_LIMIT_MS = 40_000;
/** A message that never reaches everyone (a dropped QoS 0 copy) must not hold the window forever. */
const STALL_MS = 5_000;
const PAYLOAD_BYTES = 100;

/** Found in a frame without parsing it: the client's cost per delivery stays the same on both sides. */
const MARKER = Buffer.from('fanout#');
const SEQ_DIGITS = 7;

function payload(seq: number): string {
  const head = `${MARKER.toString()}${String(seq).padStart(SEQ_DIGITS, '0')} `;
  return head + 'x'.repeat(PAYLOAD_BYTES - head.length);
}

function seqOf(frame: Buffer): number {
  const at = frame.indexOf(MARKER);
  if (at < 0) return -1;
  let seq = 0;
  for (let i = at + MARKER.length; i < at + MARKER.length + SEQ_DIGITS; i++) seq = seq * 10 + (frame[i]! - 48);
  return seq;
}

interface Side {
  /** Opens n subscriptions; every frame they receive goes to onFrame. */
  connect(n: number, onFrame: (frame: Buffer) => void): Promise<void>;
  publish(body: string): Promise<void>;
  /** Subscriptions lost after they opened. */
  lost(): number;
  /** The server's process, for its CPU time; null when it cannot be found. */
  serverPid(): number | null;
  close(): Promise<void>;
}

async function inBatches(n: number, open: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < n; start += CONNECT_BATCH) {
    const batch: Promise<void>[] = [];
    for (let i = start; i < Math.min(n, start + CONNECT_BATCH); i++) batch.push(open(i));
    await withTimeout(Promise.all(batch), CONNECT_TIMEOUT_MS, `subscribers ${start}–${start + batch.length - 1} did not connect`);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function warblerSide(relay: RelayProcess, topic: string): Side {
  const sockets: WebSocket[] = [];
  let lost = 0;
  let closing = false;
  return {
    connect: (n, onFrame) =>
      inBatches(n, (i) => {
        const socket = new WebSocket(`ws://127.0.0.1:${relay.port}/${topic}/ws`, { perMessageDeflate: false });
        sockets[i] = socket;
        return new Promise<void>((resolve, reject) => {
          let open = false;
          // The first frame is the open event, sent once the subscription is in place.
          socket.on('message', (data) => {
            if (open) return onFrame(data as Buffer);
            open = true;
            resolve();
          });
          // Kept for the socket's whole life: an 'error' nobody listens to would end the process.
          socket.on('error', reject);
          socket.once('close', (code) => {
            if (!open) reject(new Error(`a subscription was refused (${code})`));
            else if (!closing) lost++;
          });
        });
      }),
    async publish(body) {
      const res = await fetch(`${relay.url}/${topic}`, { method: 'POST', body });
      if (!res.ok) throw new Error(`publish: HTTP ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    },
    lost: () => lost,
    serverPid: () => relay.child.pid ?? null,
    async close() {
      closing = true;
      await Promise.all(
        sockets.map((socket) => {
          if (socket.readyState === WebSocket.CLOSED) return undefined;
          const closed = new Promise((resolve) => socket.once('close', resolve));
          socket.terminate();
          return closed;
        }),
      );
    },
  };
}

function mosquittoSide(topic: string): Side {
  const clients: MqttClient[] = [];
  let publisher: MqttClient | undefined;
  let lost = 0;
  let closing = false;
  const prefix = `warbler-fanout-${process.pid}-${Date.now().toString(36)}`;
  // Listed before it connects, so that close() also ends clients still connecting after a failure.
  const open = (id: string): Promise<MqttClient> => {
    const client = mqttConnect(MOSQUITTO_URL, { clientId: id, clean: true, reconnectPeriod: 0, connectTimeout: CONNECT_TIMEOUT_MS, protocolVersion: 4 });
    clients.push(client);
    return new Promise((resolve, reject) => {
      let connected = false;
      client.once('connect', () => {
        connected = true;
        resolve(client);
      });
      client.on('error', reject);
      client.once('close', () => {
        if (!connected) reject(new Error(`no connection to Mosquitto at ${MOSQUITTO_URL}`));
        else if (!closing) lost++;
      });
    });
  };
  return {
    async connect(n, onFrame) {
      await inBatches(n, async (i) => {
        const client = await open(`${prefix}-${i}`);
        client.on('message', (_topic, frame) => onFrame(frame));
        await client.subscribeAsync(topic, { qos: 0 });
      });
      publisher = await open(`${prefix}-pub`);
    },
    publish: (body) =>
      new Promise<void>((resolve, reject) => publisher!.publish(topic, body, { qos: 0 }, (err) => (err ? reject(err) : resolve()))),
    lost: () => lost,
    serverPid: () => findProcess('mosquitto'),
    async close() {
      closing = true;
      await Promise.all(clients.map((client) => new Promise<void>((resolve) => client.end(true, {}, () => resolve()))));
    },
  };
}

/** Counts deliveries per message, as they arrive. */
class Tracker {
  private readonly remaining: Int32Array;
  private readonly first: Float64Array;
  private readonly done = new Map<number, number>();
  private readonly waiting = new Map<number, (at: number) => void>();
  /** Deliveries of messages from sustainedFrom on. */
  sustainedDeliveries = 0;
  lastAt = 0;

  constructor(
    private readonly subscribers: number,
    seqs: number,
    private readonly sustainedFrom: number,
  ) {
    this.remaining = new Int32Array(seqs).fill(subscribers);
    this.first = new Float64Array(seqs);
  }

  onFrame(frame: Buffer): void {
    const seq = seqOf(frame);
    if (seq < 0 || seq >= this.remaining.length) return;
    const now = performance.now();
    this.lastAt = now;
    if (this.remaining[seq] === this.subscribers) this.first[seq] = now;
    if (seq >= this.sustainedFrom) this.sustainedDeliveries++;
    if (--this.remaining[seq]! !== 0) return;
    this.done.set(seq, now);
    this.waiting.get(seq)?.(now);
    this.waiting.delete(seq);
  }

  /** When the last subscriber got message seq. */
  allHave(seq: number): Promise<number> {
    const at = this.done.get(seq);
    return at !== undefined ? Promise.resolve(at) : new Promise((resolve) => this.waiting.set(seq, resolve));
  }

  firstAt(seq: number): number {
    return this.first[seq]!;
  }
}

interface Measured {
  connectSeconds: number;
  lastSubscriberMs: { median: number; max: number; rounds: number[]; cpuMicrosPerDelivery: { client: number | null; server: number | null } };
  firstSubscriberMs: { median: number };
  sustained: {
    published: number;
    deliveredToAll: number;
    deliveries: number;
    seconds: number;
    publishesPerSecond: number;
    deliveriesPerSecond: number;
    stopped?: string;
    cpu: CpuShare;
  };
  subscriptionsLost: number;
}

type Outcome = Measured | { error: string };

interface CpuShare {
  /** This process: every subscriber's socket, and the publisher. */
  client: ProcessCpu;
  server: ProcessCpu | null;
  /** Which side ran out of CPU, as far as the figures tell. */
  limitedBy: string;
}

interface ProcessCpu {
  /** Of one core, over the sustained part (a single-threaded process tops out at 100). */
  percent: number;
  microsPerDelivery: number;
}

/** What the sustained part cost each process: busy at ≥ 90 % of a core means it set the pace. */
function cpuShare(client: number, server: number | null, seconds: number, deliveries: number): CpuShare {
  const of = (cpu: number): ProcessCpu => ({
    percent: Math.round((100 * cpu) / seconds),
    microsPerDelivery: Number(((cpu * 1e6) / Math.max(1, deliveries)).toFixed(2)),
  });
  const clientCpu = of(client);
  const serverCpu = server === null ? null : of(server);
  const busy = (p: ProcessCpu | null) => p !== null && p.percent >= 90;
  const cores = os.availableParallelism();
  const total = clientCpu.percent + (serverCpu?.percent ?? 0);
  const limitedBy =
    busy(clientCpu) && busy(serverCpu)
      ? 'both'
      : busy(clientCpu)
        ? 'client (this process)'
        : busy(serverCpu)
          ? 'server'
          : total >= 90 * cores
            ? `the machine (${cores} cores, all busy)`
            : 'neither at a full core: latency (round trips, the window) or other load';
  return { client: clientCpu, server: serverCpu, limitedBy };
}

const ms = (x: number): number => Number(x.toFixed(2));
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function measure(side: Side, options: FanoutBenchOptions): Promise<Measured> {
  const sustainedFrom = WARM_UP + ROUNDS;
  const track = new Tracker(options.subscribers, sustainedFrom + options.messages, sustainedFrom);
  const connectStarted = performance.now();
  await side.connect(options.subscribers, (frame) => track.onFrame(frame));
  const connectSeconds = (performance.now() - connectStarted) / 1000;

  const pid = side.serverPid();
  const cpuNow = () => ({ client: ownCpuSeconds(), server: pid === null ? null : cpuSeconds(pid) });
  const lastMs: number[] = [];
  const firstMs: number[] = [];
  let roundsCpu = cpuNow();
  for (let seq = 0; seq < sustainedFrom; seq++) {
    await new Promise((r) => setTimeout(r, 50));
    if (seq === WARM_UP) roundsCpu = cpuNow();
    const all = track.allHave(seq);
    const started = performance.now();
    await side.publish(payload(seq));
    const at = await withTimeout(all, ROUND_TIMEOUT_MS, `round ${seq}: not every subscriber got the message within ${ROUND_TIMEOUT_MS} ms`);
    if (seq < WARM_UP) continue;
    lastMs.push(at - started);
    firstMs.push(track.firstAt(seq) - started);
  }
  const roundsCpuEnd = cpuNow();
  // Per delivery over the measured rounds, the publish included (the pauses cost next to nothing;
  // /proc counts in 10 ms ticks, so small runs are coarse): a latency near subscribers × the
  // client's cost was set by the client.
  const perDelivery = (from: number | null, to: number | null) =>
    from === null || to === null ? null : Number((((to - from) * 1e6) / (ROUNDS * options.subscribers)).toFixed(2));
  const roundsCpuMicrosPerDelivery = {
    client: perDelivery(roundsCpu.client, roundsCpuEnd.client),
    server: perDelivery(roundsCpu.server, roundsCpuEnd.server),
  };

  // Closed loop: a new publish whenever one of the last WINDOW has reached everyone.
  const cpuAtStart = cpuNow();
  const started = performance.now();
  const state = { sent: 0, complete: 0, stopped: null as string | null };
  await new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      const now = performance.now();
      if (now - started > SUSTAINED_LIMIT_MS) state.stopped = `time limit (${SUSTAINED_LIMIT_MS / 1000} s)`;
      else if (now - Math.max(track.lastAt, started) > STALL_MS) state.stopped = `no delivery for ${STALL_MS / 1000} s`;
      if (state.stopped) finish();
    }, 100);
    const finish = (err?: unknown) => {
      clearInterval(check);
      if (err) reject(err as Error);
      else resolve();
    };
    const pump = () => {
      while (!state.stopped && state.sent < options.messages && state.sent - state.complete < WINDOW) {
        const seq = sustainedFrom + state.sent++;
        void track.allHave(seq).then(() => {
          if (++state.complete === options.messages) finish();
          else pump();
        });
        side.publish(payload(seq)).catch(finish);
      }
    };
    pump();
  });
  const seconds = ((state.stopped ? performance.now() : track.lastAt) - started) / 1000;
  const cpuAtEnd = cpuNow();
  const cpu = cpuShare(
    cpuAtEnd.client - cpuAtStart.client,
    cpuAtEnd.server === null || cpuAtStart.server === null ? null : cpuAtEnd.server - cpuAtStart.server,
    seconds,
    track.sustainedDeliveries,
  );
  return {
    connectSeconds: Number(connectSeconds.toFixed(2)),
    lastSubscriberMs: { median: ms(median(lastMs)), max: ms(Math.max(...lastMs)), rounds: lastMs.map(ms), cpuMicrosPerDelivery: roundsCpuMicrosPerDelivery },
    firstSubscriberMs: { median: ms(median(firstMs)) },
    sustained: {
      published: state.sent,
      deliveredToAll: state.complete,
      deliveries: track.sustainedDeliveries,
      seconds: Number(seconds.toFixed(3)),
      publishesPerSecond: Math.round(state.complete / seconds),
      deliveriesPerSecond: Math.round(track.sustainedDeliveries / seconds),
      ...(state.stopped ? { stopped: state.stopped } : {}),
      cpu,
    },
    subscriptionsLost: side.lost(),
  };
}

async function run(side: Side, options: FanoutBenchOptions): Promise<Outcome> {
  try {
    return await measure(side, options);
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    await side.close();
  }
}

const RELAY_LIMITS = ['--visitor-burst', '1000000', '--visitor-refill', '1ms', '--visitor-subscriptions', '1000000'];

export async function benchFanout(options: FanoutBenchOptions): Promise<Record<string, unknown>> {
  const name = `fanout-${process.pid}-${Date.now().toString(36)}`;
  // Anything else running shares the cores with both sides: a busy machine shows here.
  const loadBefore = os.loadavg()[0]!;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-bench-'));
  let warbler: Outcome;
  try {
    // All subscribers come from one address: the relay's per-client limits are lifted for them.
    const profile = options.relayCpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(options.relayCpuProfileDir)] : [];
    const relay = await startRelayProcess(path.join(dir, 'relay'), undefined, RELAY_LIMITS, profile);
    // Should this process die without unwinding (an uncaught error), the relay must not outlive it.
    const kill = () => relay.child.kill('SIGKILL');
    process.once('exit', kill);
    try {
      warbler = await run(warblerSide(relay, name), options);
    } finally {
      // Stopped before the broker's turn, so that it does not share the CPU with an idle relay.
      await relay.stop();
      process.off('exit', kill);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const mosquitto = await run(mosquittoSide(`warbler-bench/${name}`), options);

  const both = 'error' in warbler || 'error' in mosquitto ? null : { warbler, mosquitto };
  const latency = both && both.warbler.lastSubscriberMs.median / both.mosquitto.lastSubscriberMs.median;
  const rate = both && both.warbler.sustained.deliveriesPerSecond / both.mosquitto.sustained.deliveriesPerSecond;
  const serverCost = both?.warbler.sustained.cpu.server && both.mosquitto.sustained.cpu.server
    ? both.warbler.sustained.cpu.server.microsPerDelivery / both.mosquitto.sustained.cpu.server.microsPerDelivery
    : null;
  return {
    case: 'fanout',
    subscribers: options.subscribers,
    messages: options.messages,
    payloadBytes: PAYLOAD_BYTES,
    machine: { cores: os.availableParallelism(), loadAverage1m: { before: Number(loadBefore.toFixed(2)), after: Number(os.loadavg()[0]!.toFixed(2)) } },
    warbler: { via: 'WebSocket /<topic>/ws, HTTP POST /<topic>', ...warbler },
    mosquitto: { via: `${MOSQUITTO_URL}, QoS 0`, ...mosquitto },
    target: {
      goal: 'Warbler at least as fast as Mosquitto: median time until the last subscriber has a message, and deliveries/s sustained',
      met: latency === null || rate === null ? null : latency <= 1 && rate >= 1,
      ...(latency !== null && rate !== null
        ? { lastSubscriberMsWarblerOverMosquitto: Number(latency.toFixed(2)), deliveriesPerSecondWarblerOverMosquitto: Number(rate.toFixed(2)) }
        : {}),
      // Not part of the goal, but the server's own cost, whatever the client could take.
      ...(serverCost !== null ? { serverCpuPerDeliveryWarblerOverMosquitto: Number(serverCost.toFixed(2)) } : {}),
    },
  };
}
