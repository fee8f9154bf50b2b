// One round of the raw relay bench against one target: N clients, each writing to 8 contacts
// (introduced by a warm-up first, as in a messenger's common case); a closed loop with a window of
// messages in flight finds the most the target delivers, then an open loop at half of that, each
// message stamped with the time it was meant to leave, gives the latency a person would see.
import { randomBytes } from 'node:crypto';
import { cpuSeconds, ownCpuSeconds } from '../cpu.js';
import type { LoadClient, Target } from './targets.js';
import { percentile } from '../stats.js';

export const CONTACTS = 8;

export interface LoadOptions {
  clients: number;
  window: number;
  /** Seconds of each measured loop. */
  seconds: number;
}

export interface LoopFigures {
  delivered: number;
  perSecond: number;
  relayCpuMicrosPerMessage: number | null;
  generatorCpuMicrosPerMessage: number;
}

export interface OpenLoopFigures {
  rate: number;
  delivered: number;
  p50Ms: number;
  p99Ms: number;
}

/** Fewest clients: each has CONTACTS others, spread over the whole set. */
export const MIN_CLIENTS = 2 * CONTACTS;

/** Message k of a loop: from client k mod N to one of its contacts, in turn. */
const route = (k: number, n: number): { from: number; to: number } => {
  const from = k % n;
  const contact = Math.floor(k / n) % CONTACTS;
  return { from, to: (from + 1 + contact * Math.floor(n / CONTACTS)) % n };
};


export class Load {
  private readonly body = randomBytes(256).toString('base64url');
  private readonly run = randomBytes(6).toString('base64url');
  private next = 0;
  private readonly waiting = new Map<string, () => void>();
  /** A connection lost: the loop running, or the next one, fails with it rather than waits for ever. */
  private lost: Error | null = null;
  private failLoop: ((err: Error) => void) | null = null;

  private constructor(
    private readonly target: Target,
    private readonly clients: LoadClient[],
  ) {
    for (const client of clients) {
      client.onLost = (why) => {
        this.lost ??= new Error(`bench: ${why} during the run; its messages cannot arrive`);
        this.failLoop?.(this.lost);
      };
      client.onMessage = (messageId) => {
        const arrived = this.waiting.get(messageId);
        if (!arrived) return;
        this.waiting.delete(messageId);
        arrived();
      };
    }
  }

  /** Prepares and connects every client; the figures start after this. */
  static async connect(target: Target, n: number): Promise<Load> {
    await inBatches(n, 50, (i) => target.prepare(i));
    // A client lost while the others still connect counts too.
    let lostEarly: string | undefined;
    const clients = await inBatches(n, 200, async (i) => {
      const client = await target.connect(i);
      client.onLost = (why) => (lostEarly ??= why);
      return client;
    });
    const load = new Load(target, clients);
    if (lostEarly) load.lost = new Error(`bench: ${lostEarly} while the clients connected`);
    return load;
  }

  close(): void {
    for (const client of this.clients) client.close();
  }

  /** CPU seconds of every server process of the target (a relay's nodes); null where /proc cannot tell. */
  private serverCpu(): number | null {
    let total = 0;
    for (const pid of this.target.serverPids()) {
      const seconds = cpuSeconds(pid);
      if (seconds === null) return null;
      total += seconds;
    }
    return total;
  }

  /** Runs `body` until it resolves, or until a client's connection is lost. */
  private async loop<T>(body: (resolve: (value: T) => void) => void): Promise<T> {
    if (this.lost) throw this.lost;
    try {
      return await new Promise<T>((resolve, reject) => {
        this.failLoop = reject;
        body(resolve);
      });
    } finally {
      this.failLoop = null;
    }
  }

  /** Sends one message on its route; `arrived` runs when it reaches its recipient. */
  private send(arrived: () => void): void {
    const k = this.next++;
    const { from, to } = route(k, this.clients.length);
    const messageId = `${this.run}${k.toString(36).padStart(10, '0')}`;
    this.waiting.set(messageId, arrived);
    this.clients[from]!.send(to, messageId, this.body);
  }

  /** Every client writes once to each of its contacts and waits for the message to arrive. */
  async warmUp(): Promise<void> {
    const n = this.clients.length * CONTACTS;
    await this.closedLoop(Math.min(n, 1000), { count: n });
  }

  /** Keeps `window` messages in flight until `seconds` pass or `count` arrived. */
  async closedLoop(window: number, limit: { seconds?: number; count?: number }): Promise<LoopFigures> {
    const relayBefore = this.serverCpu();
    const ownBefore = ownCpuSeconds();
    const started = performance.now();
    const deadline = limit.seconds === undefined ? Infinity : started + limit.seconds * 1000;
    const count = limit.count ?? Infinity;
    let sent = 0;
    let delivered = 0;
    await this.loop<void>((resolve) => {
      const arrived = () => {
        delivered++;
        if (this.lost) return;
        if (sent < count && performance.now() < deadline) {
          sent++;
          this.send(arrived);
        } else if (delivered === sent) {
          resolve();
        }
      };
      for (; sent < Math.min(window, count); sent++) this.send(arrived);
    });
    const seconds = (performance.now() - started) / 1000;
    const relayAfter = this.serverCpu();
    return {
      delivered,
      perSecond: Math.round(delivered / seconds),
      relayCpuMicrosPerMessage: relayBefore === null || relayAfter === null ? null : round1(((relayAfter - relayBefore) * 1e6) / delivered),
      generatorCpuMicrosPerMessage: round1(((ownCpuSeconds() - ownBefore) * 1e6) / delivered),
    };
  }

  /** Sends at `rate` per second for `seconds`, whatever the target does; latency from the intended time. */
  async openLoop(rate: number, seconds: number): Promise<OpenLoopFigures> {
    const total = Math.round(rate * seconds);
    const latencies: number[] = [];
    const started = performance.now();
    await this.loop<void>((resolve) => {
      let k = 0;
      const tick = () => {
        const now = performance.now();
        for (; k < total && started + (k * 1000) / rate <= now; k++) {
          const intended = started + (k * 1000) / rate;
          this.send(() => {
            latencies.push(performance.now() - intended);
            if (latencies.length === total) resolve();
          });
        }
        if (k < total && !this.lost) setTimeout(tick, 1);
      };
      tick();
    });
    latencies.sort((a, b) => a - b);
    return { rate: Math.round(rate), delivered: latencies.length, p50Ms: round1(percentile(latencies, 50)), p99Ms: round1(percentile(latencies, 99)) };
  }
}

/** Runs make(i) for i < n, `size` at a time. */
export async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < n; start += size) {
    const batch = await Promise.all(Array.from({ length: Math.min(size, n - start) }, (_, j) => make(start + j)));
    out.push(...batch);
  }
  return out;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
