// Relay throughput and delivery latency between N headless clients on loopback.
// The relay runs in its own process, as in production; the clients share this one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WarblerClient } from '../electron/core/client.js';
import { startRelayProcess } from './process.js';

export interface RelayBenchOptions {
  clients: number;
  messagesPerClient: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

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
    await Promise.all(clients.map((c) => c.connection.waitOnline(15_000)));

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
    await Promise.all(
      clients.map(async (client, i) => {
        const to = `bench${(i + 1) % options.clients}`;
        // Each client sends one message after another, as its outbox does; all clients at once.
        for (let n = 0; n < options.messagesPerClient; n++) {
          const text = `m-${i}-${n}`;
          sentAt.set(text, performance.now());
          await client.send(to, text, { queue: false });
        }
      }),
    );
    const timeout = setTimeout(() => allDelivered(), 120_000);
    await delivered;
    clearTimeout(timeout);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    await Promise.all(clients.map((c) => c.close()));
    return {
      case: 'relay',
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
