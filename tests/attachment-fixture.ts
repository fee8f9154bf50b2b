// For the attachment tests: files of random bytes and their digests, waiting for a file's state,
// and a loopback proxy that slows uploads down so a test can act in the middle of one.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import type { WarblerClient } from '../core/client.js';
import type { AttachmentState, AttachmentView } from '../shared/attachment.js';

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Resolves with the view once the file reaches `state`; rejects when it settles in another one, or after timeoutMs. */
export function reaches(client: WarblerClient, id: string, state: AttachmentState, timeoutMs = 60_000): Promise<AttachmentView> {
  const settled: AttachmentState[] = ['uploaded', 'ready', 'damaged', 'missing', 'failed'];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(new Error(`attachment ${id} did not become ${state} (it is ${client.attachment(id)?.state})`))), timeoutMs);
    const check = (view: AttachmentView | undefined) => {
      if (!view || view.id !== id) return;
      if (view.state === state) finish(() => resolve(view));
      else if (settled.includes(view.state) && view.state !== state) {
        finish(() => reject(new Error(`attachment ${id} became ${view.state} (${view.error?.code ?? ''}), not ${state}`)));
      }
    };
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      client.off('attachment', check);
      settle();
    };
    client.on('attachment', check);
    check(client.attachment(id));
  });
}

/** Resolves once `check` says so, at each 'attachment' event. */
export function whenAttachment(client: WarblerClient, check: (view: AttachmentView) => boolean): Promise<AttachmentView> {
  return new Promise((resolve) => {
    const listener = (view: AttachmentView) => {
      if (!check(view)) return;
      client.off('attachment', listener);
      resolve(view);
    };
    client.on('attachment', listener);
  });
}

/** Lets bytes through at `bytesPerSecond` at most. */
class Throttle extends Transform {
  private readonly started = Date.now();
  private passed = 0;
  constructor(private readonly bytesPerSecond: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.passed += chunk.length;
    const due = this.started + (this.passed / this.bytesPerSecond) * 1000;
    setTimeout(() => done(null, chunk), Math.max(0, due - Date.now()));
  }
}

export interface SlowProxy {
  url: string;
  /** Drops every connection through it now, as a network that goes away does; new ones are let through. */
  cut(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of a relay on `port` whose client-to-relay direction runs at
 * `bytesPerSecond` (uploads are slow, downloads and frames the relay sends are not; with
 * `slow: 'down'` the other way round); each new connection goes to whatever listens on the port
 * then (a relay restarted on it).
 */
export async function slowProxy(port: number, bytesPerSecond: number, slow: 'up' | 'down' = 'up'): Promise<SlowProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(port, '127.0.0.1');
    for (const s of [downstream, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        downstream.destroy();
        upstream.destroy();
      });
    }
    if (slow === 'up') {
      downstream.pipe(new Throttle(bytesPerSecond)).pipe(upstream);
      upstream.pipe(downstream);
    } else {
      downstream.pipe(upstream);
      upstream.pipe(new Throttle(bytesPerSecond)).pipe(downstream);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${own}`,
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Every file under a folder, recursively. */
export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => `${e.parentPath}/${e.name}`);
}
