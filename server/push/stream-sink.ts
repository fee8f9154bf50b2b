// Where a push subscription's events go, an HTTP response being streamed or a WebSocket, with the
// relay's memory bounded for a reader that is slow or has stopped: a catch-up is paced by the reader
// (reader-pace.ts), and a live stream is closed once more than STREAM_CLOSE_BYTES wait for it (the
// client connects again with since=<last id> and catches up from the cache).
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Corkable } from './batch.js';
import { pacedCatchUp, type Drainable } from './reader-pace.js';

/** Bytes waiting for one stream's reader past which it is closed rather than held in memory. */
export const STREAM_CLOSE_BYTES = 4 * 1024 * 1024;
interface Output {
  write(text: string | Buffer): void;
  /** Bytes written and not yet handed to the kernel. */
  buffered(): number;
  /** What emits 'drain' once the buffered bytes have gone. */
  stream: Corkable & Drainable;
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

  /** Writes cached events in slices, each once the reader has taken most of the one before. */
  catchUp<T>(items: readonly T[], send: (item: T) => void): Promise<void> {
    return pacedCatchUp(items, send, this.out.stream, { buffered: () => this.out.buffered(), output: this.out.stream, gone: () => this.closed });
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
    stream: res,
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
