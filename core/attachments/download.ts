// Fetching one ciphertext from the relay (GET /v1/blobs/<id>, no credentials: the id is the
// capability) into `<id>.part`, resuming what an earlier attempt left with a Range request, and
// hashing it on the way: the file is kept under its name only when its SHA-256 is the digest the
// sealed pointer carries. node:http rather than fetch: its body is a Node stream already, with
// pieces as large as the socket gives (fetch's web stream costs a third of loopback's speed).
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { syncDir } from '../atomic-file.js';

export type DownloadOutcome = 'ready' | 'missing' | 'damaged';

export interface DownloadOptions {
  url: string;
  file: string;
  cipherSize: number;
  digest: string;
  signal: AbortSignal;
  onProgress(received: number): void;
  /** Also handed every piece of a download that starts at the first byte, in order (it may wait). */
  tap?: { write(piece: Buffer): Promise<void> };
}

interface Answer {
  status: number;
  contentRange: string | undefined;
  body: http.IncomingMessage;
}

function get(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(url, { headers, signal }, (body) => {
      resolve({ status: body.statusCode ?? 0, contentRange: body.headers['content-range'], body });
    });
    request.on('error', reject);
  });
}

/** Network failures and the relay's 5xx throw (the caller tries again); what the relay's answer settles is returned. */
export async function downloadBlob(o: DownloadOptions): Promise<DownloadOutcome> {
  const part = `${o.file}.part`;
  await fs.promises.mkdir(path.dirname(o.file), { recursive: true, mode: 0o700 });
  let have = await sizeOf(part);
  if (have > o.cipherSize) {
    await fs.promises.rm(part, { force: true });
    have = 0;
  }
  if (have === o.cipherSize) return finish(o, part, await digestOfFile(part));
  const response = await get(o.url, have > 0 ? { Range: `bytes=${have}-` } : {}, o.signal);
  if (response.status === 404 || response.status === 410) {
    response.body.resume();
    await fs.promises.rm(part, { force: true });
    return 'missing';
  }
  const resumed = response.status === 206 && response.contentRange?.startsWith(`bytes ${have}-`) === true;
  if (response.status !== 200 && !resumed) {
    response.body.resume();
    // A range that does not continue what is here: start over next time.
    if (response.status === 206 || response.status === 416) await fs.promises.rm(part, { force: true });
    throw new Error(`the relay answered the download with HTTP ${response.status}`);
  }
  // A 200 is the whole file, whatever was asked.
  if (!resumed) have = 0;
  const hash = createHash('sha256');
  if (have > 0) await hashFile(part, hash);
  await receive(response.body, part, have, o, hash);
  return finish(o, part, hash.digest('hex'));
}

async function receive(body: Readable, part: string, have: number, o: DownloadOptions, hash: Hash): Promise<void> {
  let received = have;
  let tooLong = false;
  // Plaintext makes sense only from the start of the ciphertext.
  const tap = have === 0 ? o.tap : undefined;
  await pipeline(
    body,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        received += chunk.length;
        // More than the pointer says: the relay's (or someone's) doing; it cannot be the file.
        if (received > o.cipherSize) {
          tooLong = true;
          throw new Error('the relay sent more than the file holds');
        }
        hash.update(chunk);
        o.onProgress(received);
        if (tap) await tap.write(chunk);
        yield chunk;
      }
    },
    // A few MiB may wait for the disk: with the default 16 KiB, every piece from the socket waits for
    // the write before it, and the network and the disk take turns.
    fs.createWriteStream(part, { flags: have > 0 ? 'a' : 'w', mode: 0o600, highWaterMark: 4 * 1024 * 1024 }),
    { signal: o.signal },
  ).catch(async (err: unknown) => {
    if (tooLong) {
      await fs.promises.rm(part, { force: true });
      throw new DamagedDownload();
    }
    throw err;
  });
  if (received < o.cipherSize) throw new Error(`the download ended after ${received} of ${o.cipherSize} bytes`);
}

class DamagedDownload extends Error {}

async function finish(o: DownloadOptions, part: string, digest: string): Promise<DownloadOutcome> {
  if (digest !== o.digest) {
    await fs.promises.rm(part, { force: true });
    return 'damaged';
  }
  await fs.promises.rename(part, o.file);
  syncDir(path.dirname(o.file));
  return 'ready';
}

/** Runs a download, with an over-long body counted as damage rather than a failure to retry. */
export async function downloadOnce(o: DownloadOptions): Promise<DownloadOutcome> {
  try {
    return await downloadBlob(o);
  } catch (err) {
    if (err instanceof DamagedDownload) return 'damaged';
    throw err;
  }
}

async function sizeOf(file: string): Promise<number> {
  try {
    return (await fs.promises.stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
}

async function digestOfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFile(file, hash);
  return hash.digest('hex');
}
