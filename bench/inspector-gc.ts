// A full garbage collection in another Node process, through its inspector (SIGUSR1 opens it on
// 127.0.0.1:9229, as `node inspect -p PID` does): what a process holds after one is what it keeps,
// where its resident memory at any moment also counts garbage not collected yet.
import WebSocket from 'ws';
import { z } from 'zod';

const INSPECTOR = 'http://127.0.0.1:9229';
const Targets = z.array(z.object({ webSocketDebuggerUrl: z.string() }));

async function debuggerUrl(): Promise<string> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      const [first] = Targets.parse(await (await fetch(`${INSPECTOR}/json/list`)).json());
      if (first) return first.webSocketDebuggerUrl;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`no inspector on ${INSPECTOR}: ${(err as Error).message}`, { cause: err });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens the process's inspector (it stays open until the process ends) and collects its garbage. */
export async function collectGarbage(pid: number): Promise<void> {
  process.kill(pid, 'SIGUSR1');
  const socket = new WebSocket(await debuggerUrl());
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data: Buffer) => {
        const reply = z.object({ id: z.number().optional(), error: z.object({ message: z.string() }).optional() }).parse(JSON.parse(data.toString()));
        if (reply.id !== 1) return;
        if (reply.error) reject(new Error(reply.error.message));
        else resolve();
      });
      socket.send(JSON.stringify({ id: 1, method: 'HeapProfiler.collectGarbage' }));
    });
  } finally {
    socket.close();
  }
}
