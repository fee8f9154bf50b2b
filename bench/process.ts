// A relay in its own process for benchmarks, as in production.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { testBackendFor } from './postgres.js';

export interface RelayProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the relay exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the relay did not start');
}

/**
 * extraArgs go to the relay as they are, after the defaults (e.g. looser per-client limits);
 * nodeArgs go to Node before the relay's script (e.g. --cpu-prof).
 */
export async function startRelayProcess(
  dataDir: string,
  port?: number,
  extraArgs: readonly string[] = [],
  nodeArgs: readonly string[] = [],
): Promise<RelayProcess> {
  const chosen = port ?? (await freePort());
  const url = `http://127.0.0.1:${chosen}`;
  // The built relay, whether this module runs built (bench) or from source (tests).
  const built = import.meta.url.includes('/dist/') ? '../server/main.js' : '../dist/server/main.js';
  const serverMain = fileURLToPath(new URL(built, import.meta.url));
  // Benches and tests register hundreds of accounts from this one address and send as fast as they can.
  const budgets = ['--registrations-per-hour', '1000000', '--sends-per-second', '1000000', '--sends-per-day', '1000000000', '--ephemeral-per-second', '1000000'];
  // WARBLER_TEST_BACKEND=postgres: the same tests on PostgreSQL and Redis.
  const backend = extraArgs.includes('--database') ? undefined : await testBackendFor(path.resolve(dataDir));
  const onBackend = backend ? ['--database', backend.database, '--redis', backend.redis] : [];
  const args = [serverMain, '--port', String(chosen), '--data', path.resolve(dataDir), '--log-level', 'warn', ...budgets, ...onBackend];
  const child = spawn(process.execPath, [...nodeArgs, ...args, ...extraArgs], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHealth(url, child);
  return {
    url,
    port: chosen,
    child,
    stop: () => stopProcess(child),
  };
}

/** Stops a child with SIGTERM and waits for it to exit (nothing when it has already). */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
