// Relay throughput and delivery latency between N headless clients on loopback.
// The relay runs in its own process, as in production; the clients share this one.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WarblerClient } from '../electron/core/client.js';

export interface RelayBenchOptions {
  clients: number;
  messagesPerClient: number;
  /** Sends each client keeps in flight. */
  window: number;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the relay did not start');
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function benchRelay(options: RelayBenchOptions): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-bench-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const serverMain = fileURLToPath(new URL('../server/main.js', import.meta.url));
  const relay = spawn(process.execPath, [serverMain, '--port', String(port), '--data', path.join(dir, 'relay'), '--log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealth(url);
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
        let next = 0;
        const worker = async () => {
          while (next < options.messagesPerClient) {
            const text = `m-${i}-${next++}`;
            sentAt.set(text, performance.now());
            await client.send(to, text, { queue: false });
          }
        };
        await Promise.all(Array.from({ length: options.window }, worker));
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
    relay.kill('SIGTERM');
    await new Promise((resolve) => relay.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
