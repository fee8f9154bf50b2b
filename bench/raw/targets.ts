// The relays the raw bench drives, each in its own process: Warbler's (every envelope stored,
// delivered, acked and deleted, its receipt too), a plain `ws` relay and a Socket.IO relay (both
// storing nothing, bench/peers/). The same load reaches each through one small interface.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { io, type Socket } from 'socket.io-client';
import { installNativeSignatures } from '../../server/native-signatures.js';
import { freePort, startRelayProcess, stopProcess } from '../process.js';
import { login, newDevice, register, type WireDevice, type WireSocket } from './wire-client.js';

export type TargetName = 'warbler' | 'ws' | 'socket.io';

/** One connected client of a target: sends by peer index, tells of each message that reached it. */
export interface LoadClient {
  send(to: number, messageId: string, body: string): void;
  onMessage: (messageId: string) => void;
  /** Called when the connection ends without close(): what was in flight on it will not arrive. */
  onLost: (why: string) => void;
  close(): void;
}

export interface Target {
  readonly name: TargetName;
  readonly pid: number;
  /** The processes whose CPU counts as the server's (a relay of several nodes has several). */
  serverPids(): number[];
  /** Makes client i ready to connect (Warbler: registers its account); not part of any figure. */
  prepare(i: number): Promise<void>;
  /** Connects client i (Warbler: logs in). */
  connect(i: number): Promise<LoadClient>;
  stop(): Promise<void>;
}

/** Envelopes need a device per recipient: the generator keeps every device it registered. */
export class WarblerTarget implements Target {
  readonly name = 'warbler';
  private readonly devices: WireDevice[] = [];
  private refusalTold = false;

  /** `url`: one relay, or the balancer in front of several nodes (`pids`, the first one's is `pid`). */
  constructor(
    private readonly url: string,
    private readonly pids: number[],
    private readonly stopRelay: () => Promise<void>,
    private readonly dataDir: string,
  ) {
    // Thousands of clients sign their logins here, on the cores the relay runs on: natively, as
    // the relay checks them, so that the generator's signing is not what the login time measures.
    installNativeSignatures();
  }

  get pid(): number {
    return this.pids[0]!;
  }

  serverPids(): number[] {
    return this.pids;
  }

  async prepare(i: number): Promise<void> {
    const device = newDevice(`load${i}`);
    await register(this.url, device);
    this.devices[i] = device;
  }

  async connect(i: number): Promise<LoadClient> {
    const socket: WireSocket = await login(this.url, this.devices[i]!);
    const client: LoadClient = {
      send: (to, messageId, body) => {
        const peer = this.devices[to]!;
        socket
          .request({
            type: 'send',
            messageId,
            recipients: [peer.username],
            envelopes: [{ device: peer.identity.publicKey, sealed: { kind: 'ratchet', body } }],
          })
          // A lost connection fails its sends too; onLost tells of it.
          .catch((err: unknown) => closing || socket.ws.readyState !== socket.ws.OPEN || this.refused(err));
      },
      onMessage: () => undefined,
      onLost: () => undefined,
      close: () => {
        closing = true;
        socket.close();
      },
    };
    let closing = false;
    socket.onClose = (code) => {
      if (!closing) client.onLost(`the relay closed a client's connection (${code})`);
    };
    socket.onEnvelope = (envelope) => {
      if (envelope.kind === 'message') client.onMessage(envelope.messageId);
    };
    return client;
  }

  /** A refused send never arrives, and the loop waits for it: the figures would be wrong, so say so. */
  private refused(err: unknown): void {
    if (this.refusalTold) return;
    this.refusalTold = true;
    console.error(`bench: the relay refused a send, the figures are not to be trusted: ${(err as Error).message}`);
  }

  async stop(): Promise<void> {
    await this.stopRelay();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** A peer relay in its own process (bench/peers/): nothing to prepare, no login. */
abstract class PeerTarget implements Target {
  abstract readonly name: TargetName;

  constructor(
    protected readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  serverPids(): number[] {
    return [this.pid];
  }

  async prepare(): Promise<void> {}

  abstract connect(i: number): Promise<LoadClient>;

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}

class WsTarget extends PeerTarget {
  readonly name = 'ws';

  async connect(i: number): Promise<LoadClient> {
    const ws = new WebSocket(`ws://127.0.0.1:${this.port}/?id=${i}`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const client: LoadClient = {
      send: (to, id, body) => ws.send(JSON.stringify({ to, id, body })),
      onMessage: () => undefined,
      onLost: () => undefined,
      close: () => {
        closing = true;
        ws.close();
      },
    };
    let closing = false;
    ws.on('close', (code) => closing || client.onLost(`the relay closed a client's connection (${code})`));
    ws.on('message', (data) => client.onMessage((JSON.parse(data.toString()) as { id: string }).id));
    return client;
  }
}

class SocketIoTarget extends PeerTarget {
  readonly name = 'socket.io';

  async connect(i: number): Promise<LoadClient> {
    const socket: Socket = io(`http://127.0.0.1:${this.port}`, { transports: ['websocket'], query: { id: String(i) }, forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const client: LoadClient = {
      send: (to, id, body) => void socket.emit('m', to, id, body),
      onMessage: () => undefined,
      onLost: () => undefined,
      close: () => {
        closing = true;
        socket.close();
      },
    };
    let closing = false;
    socket.on('disconnect', (reason) => closing || client.onLost(`the relay closed a client's connection (${reason})`));
    socket.on('m', (_from: string, id: string) => client.onMessage(id));
    return client;
  }
}

/**
 * For Warbler's relay only: `cpuProfileDir`, where it writes a CPU profile of its run;
 * `queueJournal`, whether it runs with --queue-journal.
 */
export async function startTarget(name: TargetName, options: { cpuProfileDir?: string | undefined; queueJournal?: boolean | undefined } = {}): Promise<Target> {
  if (name === 'warbler') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-raw-'));
    const { cpuProfileDir, queueJournal } = options;
    const profile = cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(cpuProfileDir)] : [];
    const relay = await startRelayProcess(path.join(dir, 'relay'), undefined, queueJournal ? ['--queue-journal'] : [], profile);
    return new WarblerTarget(relay.url, [relay.child.pid!], () => relay.stop(), dir);
  }
  const port = await freePort();
  const script = fileURLToPath(new URL(`../peers/${name === 'ws' ? 'ws-relay' : 'socketio-relay'}.js`, import.meta.url));
  const child = spawn(process.execPath, [script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the ${name} relay exited with ${code}`)));
    child.stdout!.once('data', () => resolve());
  });
  return name === 'ws' ? new WsTarget(port, child) : new SocketIoTarget(port, child);
}
