// Where a push subscription's events go, an HTTP response being streamed or a WebSocket, with the
// relay's memory bounded for a reader that is slow or has stopped: a catch-up waits for the reader
// between slices, and a live stream is closed once more than STREAM_CLOSE_BYTES wait for it (the
// client connects again with since=<last id> and catches up from the cache).
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Corkable } from './batch.js';

/** Bytes waiting for one stream's reader past which it is closed rather than held in memory. */
export const STREAM_CLOSE_BYTES = 4 * 1024 * 1024;
/** A catch-up stops writing while more than this waits for the reader, and goes on once it has read. */
export const CATCH_UP_HIGH_WATER = 256 * 1024;
/** How often a catch-up that waits looks again, should the output not say it has drained. */
const DRAIN_POLL_MS = 250;

interface Output {
  write(text: string | Buffer): void;
  /** Bytes written and not yet handed to the kernel. */
  buffered(): number;
  /** What emits 'drain' once the buffered bytes have gone. */
  stream: Corkable & Pick<Socket, 'once' | 'off'>;
  onClose(listener: () => void): void;
  destroy(): void;
}

export class Sink {
  private closed = false;

  constructor(private readonly out: Output) {
    out.onClose(() => (this.closed = true));
  }

  get output(): Corkable {
    return this.out.stream;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** One event as encode() makes it (a Buffer holds that text as UTF-8); a reader too far behind is let go. */
  write(text: string | Buffer): void {
    if (this.closed) return;
    this.out.write(text);
    if (this.out.buffered() > STREAM_CLOSE_BYTES) this.destroy();
  }

  /** Resolves once the reader has taken all but CATCH_UP_HIGH_WATER bytes, or the stream is gone. */
  async readerCaughtUp(): Promise<void> {
    while (!this.closed && this.out.buffered() > CATCH_UP_HIGH_WATER) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.out.stream.off('drain', done);
          resolve();
        };
        const timer = setTimeout(done, DRAIN_POLL_MS);
        this.out.stream.once('drain', done);
      });
    }
  }

  onClose(listener: () => void): void {
    this.out.onClose(listener);
  }

  destroy(): void {
    this.closed = true;
    this.out.destroy();
  }
}

/** A streamed HTTP response (json, sse, raw): `close` of the request is the reader going away. */
export function responseSink(res: ServerResponse, request: { on(event: 'close', listener: () => void): unknown }): Sink {
  return new Sink({
    write: (text) => void res.write(text),
    buffered: () => res.writableLength,
    stream: res as unknown as Output['stream'],
    onClose: (listener) => {
      request.on('close', listener);
      res.on('error', listener);
    },
    destroy: () => res.destroy(),
  });
}

/** A WebSocket (/<topics>/ws) over its connection `raw`. */
export function socketSink(socket: WebSocket, raw: Socket): Sink {
  return new Sink({
    write: (text) => {
      if (socket.readyState === socket.OPEN) socket.send(text, { binary: false });
    },
    buffered: () => socket.bufferedAmount,
    stream: raw,
    onClose: (listener) => socket.on('close', listener),
    destroy: () => socket.terminate(),
  });
}
