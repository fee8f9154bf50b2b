// Relay throughput and delivery latency between N headless clients on loopback.
// The relay runs in its own process, as in production; the clients share this one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WarblerClient } from '../core/client.js';
import { startRelayProcess } from './process.js';
import { percentile } from './stats.js';

export interface RelayBenchOptions {
  clients: number;
  messagesPerClient: number;
  /** Messages per second across all clients (open loop); without it every client sends as fast as it can. */
  rate?: number;
}


export async function benchRelay(options: RelayBenchOptions): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-bench-'));
  const relay = await startRelayProcess(path.join(dir, 'relay'));
  const { url } = relay;
  try {
    const clients: WarblerClient[] = [];
    for (let i = 0; i < options.clients; i++) {
      const client = await WarblerClient.register(path.join(dir, `c${i}`), url, `bench${i}`);
      client.start();
      clients.push(client);
    }
    await Promise.all(clients.map((c) => c.waitOnline(15_000)));

    const total = options.clients * options.messagesPerClient;
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    let allDelivered!: () => void;
    const delivered = new Promise<void>((resolve) => (allDelivered = resolve));
    for (const client of clients) {
      client.on('received', (message) => {
        const start = sentAt.get(message.text);
        if (start === undefined) return;
        latencies.push(performance.now() - start);
        if (latencies.length === total) allDelivered();
      });
    }

    const started = performance.now();
    const sendOne = async (i: number, n: number) => {
      const text = `m-${i}-${n}`;
      sentAt.set(text, performance.now());
      await clients[i]!.send(`bench${(i + 1) % options.clients}`, text, { queue: false });
    };
    if (options.rate) {
      // Open loop: message k leaves at k / rate seconds, from client k mod N, whatever the relay does.
      const pending: Promise<void>[] = [];
      for (let k = 0; k < total; k++) {
        const due = started + (k * 1000) / options.rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        pending.push(sendOne(k % options.clients, Math.floor(k / options.clients)));
      }
      await Promise.all(pending);
    } else {
      // Closed loop: each client sends one message after another, as its outbox does; all at once.
      await Promise.all(
        clients.map(async (_, i) => {
          for (let n = 0; n < options.messagesPerClient; n++) await sendOne(i, n);
        }),
      );
    }
    const timeout = setTimeout(() => allDelivered(), 120_000);
    await delivered;
    clearTimeout(timeout);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    await Promise.all(clients.map((c) => c.close()));
    return {
      case: 'relay',
      mode: options.rate ? `open loop at ${options.rate} messages/s` : 'closed loop, every client as fast as it can',
      clients: options.clients,
      messages: total,
      delivered: latencies.length,
      seconds: Number(seconds.toFixed(3)),
      messagesPerSecond: Math.round(latencies.length / seconds),
      latencyMs: {
        p50: Number(percentile(latencies, 50).toFixed(2)),
        p99: Number(percentile(latencies, 99).toFixed(2)),
        max: Number((latencies.at(-1) ?? NaN).toFixed(2)),
      },
    };
  } finally {
    await relay.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
