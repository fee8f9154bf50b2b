// HAProxy in front of relay nodes, run from the project's own deploy/haproxy.cfg (what an operator
// runs), for the multi-node tests and the cluster bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, stopProcess } from './process.js';

export interface Balancer {
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The configuration names three servers: give three node ports. */
export async function startHaproxy(nodePorts: readonly [number, number, number]): Promise<Balancer> {
  const config = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../deploy/haproxy.cfg' : '../deploy/haproxy.cfg', import.meta.url));
  const port = await freePort();
  const env = {
    ...process.env,
    WARBLER_LISTEN: `127.0.0.1:${port}`,
    WARBLER_RELAY1: `127.0.0.1:${nodePorts[0]}`,
    WARBLER_RELAY2: `127.0.0.1:${nodePorts[1]}`,
    WARBLER_RELAY3: `127.0.0.1:${nodePorts[2]}`,
  };
  let stderr = '';
  const child = spawn('haproxy', ['-db', '-f', config], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('error', (err) => reject(new Error(`could not start haproxy (apt-get install haproxy): ${err.message}`)));
    child.once('spawn', resolve);
  });
  await spawned;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`haproxy did not reach a healthy relay: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, child, stop: () => stopProcess(child) };
}
