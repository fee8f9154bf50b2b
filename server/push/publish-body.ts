// The body of a publish, read only as far as needed: a message is at most a few KB and is read
// whole; a larger body (a file) is read up to that much and handed on paused, so the route can stream
// the rest to disk once the publisher is allowed, or refuse it without ever holding it in memory.
import type { Readable } from 'node:stream';
import { HttpError } from './http-error.js';

export interface PublishBody {
  /** What was read: all of it, unless `rest` is set. */
  bytes: Buffer;
  /** The unread rest of a larger body, paused. */
  rest?: Readable;
}

/**
 * Reads up to `limit` bytes. Past it: with `mayContinue` the body is handed on as bytes + rest,
 * otherwise it is refused (413).
 */
export function readPublishBody(payload: Readable, limit: number, mayContinue: boolean): Promise<PublishBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      payload.off('data', onData);
      payload.off('end', onEnd);
      payload.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      cleanup();
      payload.pause();
      if (!mayContinue) {
        payload.resume();
        reject(new HttpError('push_too_large', `the body is larger than ${limit} bytes`));
        return;
      }
      resolve({ bytes: Buffer.concat(chunks), rest: payload });
    };
    const onEnd = () => {
      cleanup();
      resolve({ bytes: Buffer.concat(chunks) });
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });
}
