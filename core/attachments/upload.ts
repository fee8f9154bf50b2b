// One attempt at uploading a ciphertext to the relay with tus (resumable: the relay keeps what
// arrived, a later attempt asks how much with HEAD and sends the rest), the tokens that allow it,
// and what a failed attempt means: try again, refresh the token, or give up with a code.
import fs from 'node:fs';
import { DetailedError, Upload } from 'tus-js-client';
import { BLOBS_PATH } from '../../shared/attachment.js';
import { ERRORS, type ErrorCode, type IpcError } from '../../shared/errors.js';
import type { ResultData } from '../../shared/protocol.js';
import { formatBytes } from '../../shared/size.js';
import { attachmentError } from './attachment-store.js';

/** Bytes per PATCH: progress is kept (and a dropped connection costs at most) one chunk at a time. */
export const UPLOAD_CHUNK_BYTES = 16 * 1024 * 1024;
/** A token is renewed this long before it expires, so none expires during a request. */
const TOKEN_MARGIN_MS = 60_000;

type BlobTokenResult = ResultData['blob-token'];

export const blobsUrl = (httpBase: string): string => `${httpBase}${BLOBS_PATH}`;

/** The relay's upload tokens (the `blob-token` request), kept until shortly before they expire. */
export class BlobTokens {
  private current: BlobTokenResult | undefined;
  private pending: Promise<BlobTokenResult> | undefined;

  constructor(
    private readonly request: () => Promise<BlobTokenResult>,
    /** What the relay said of its limits with the token. */
    private readonly learned: (result: BlobTokenResult) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.current && this.current.expiresAt - TOKEN_MARGIN_MS > this.now()) return this.current.token;
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    const result = await this.pending;
    this.current = result;
    this.learned(result);
    return result.token;
  }

  /** The relay refused the token (expired early, the relay restarted with new secrets): the next get() asks again. */
  invalidate(): void {
    this.current = undefined;
  }
}

/** Bytes per read of the file being uploaded (tus's own file source reads 64 KiB at a time). */
const READ_BYTES = 1024 * 1024;

/**
 * The ciphertext as tus reads it: each PATCH body a stream of the file's byte range, read in
 * READ_BYTES pieces. tus's own source for a path reads 64 KiB per call, and the calls (a
 * thread-pool round trip and a fresh buffer each) were most of the sender's CPU: reading 1 MiB at
 * a time, a 100 MB upload takes about 0.2 s of it rather than 0.35 s.
 */
class FileSlices {
  private readonly open = new Set<fs.ReadStream>();

  constructor(
    private readonly file: string,
    readonly size: number,
    private readonly failed: (err: Error) => void,
  ) {}

  slice(start: number, end: number): Promise<{ value: fs.ReadStream & { size: number }; done: boolean }> {
    const last = Math.min(end, this.size);
    // tus sends the slice's `size` as Content-Length; an empty range never reaches here (tus
    // finishes an empty upload at its creation), but createReadStream cannot express one.
    if (last <= start) return Promise.reject(new RangeError(`no bytes to send at ${start}-${end}`));
    const stream = Object.assign(fs.createReadStream(this.file, { start, end: last - 1, highWaterMark: READ_BYTES }), { size: last - start });
    this.open.add(stream);
    stream.on('close', () => this.open.delete(stream));
    // tus pipes the stream into the request, and a pipe does not pass a source's error on.
    stream.on('error', (err) => this.failed(err));
    return Promise.resolve({ value: stream, done: last >= this.size });
  }

  close(): void {
    for (const stream of this.open) stream.destroy();
    this.open.clear();
  }
}

export interface UploadAttempt {
  done: Promise<void>;
  /** Stops the attempt (done rejects with AbortedError); `terminate` also deletes what the relay has of it. */
  abort(terminate: boolean): Promise<void>;
}

export class AbortedError extends Error {
  constructor() {
    super('the upload was stopped');
    this.name = 'AbortedError';
  }
}

export interface AttemptOptions {
  id: string;
  file: string;
  cipherSize: number;
  endpoint: string;
  /** Where an earlier attempt's upload is, to resume it; null: create it. */
  uploadUrl: string | null;
  token: string;
  onUrl(url: string): void;
  onProgress(sent: number): void;
  onChunk(accepted: number): void;
}

export function startUpload(o: AttemptOptions): UploadAttempt {
  let settled = false;
  let succeed: () => void = () => undefined;
  let fail: (err: Error) => void = () => undefined;
  const source = new FileSlices(o.file, o.cipherSize, (err) => {
    // The file went (or the disk failed) under a PATCH: this attempt fails; the caller decides what next.
    fail(err);
    void upload.abort(false).catch(() => undefined);
  });
  const done = new Promise<void>((resolve, reject) => {
    succeed = resolve;
    fail = reject;
  }).finally(() => {
    settled = true;
    source.close();
  });
  const headers = { Authorization: `Bearer ${o.token}` };
  // tus reads through `fileReader` alone: the input it is given is never looked at.
  const upload = new Upload(Buffer.alloc(0), {
    endpoint: o.endpoint,
    uploadUrl: o.uploadUrl,
    uploadSize: o.cipherSize,
    // The id alone: the relay learns no name and no type.
    metadata: { id: o.id },
    headers,
    chunkSize: UPLOAD_CHUNK_BYTES,
    fileReader: { openFile: () => Promise.resolve(source) },
    // Retries are the caller's: it waits for the relay to be back, and refreshes the token.
    retryDelays: null,
    storeFingerprintForResuming: false,
    removeFingerprintOnSuccess: false,
    onUploadUrlAvailable: () => {
      if (upload.url) o.onUrl(upload.url);
    },
    onProgress: (sent) => o.onProgress(sent),
    onChunkComplete: (_size, accepted) => o.onChunk(accepted),
    onSuccess: () => succeed(),
    onError: (err) => fail(err),
  });
  upload.start();
  return {
    done,
    async abort(terminate) {
      if (!settled) fail(new AbortedError());
      // tus deletes only an upload it is running; one that had stopped is deleted by its URL.
      await upload.abort(false).catch(() => undefined);
      const url = upload.url ?? o.uploadUrl;
      if (terminate && url) await Upload.terminate(url, { headers }).catch(() => undefined);
    },
  };
}

/** What a failed attempt means. */
export type UploadFailure =
  | { kind: 'retry' }
  | { kind: 'unauthorized' }
  /** The relay has this id already (an earlier attempt made it, and its URL was lost): resume it there. */
  | { kind: 'exists' }
  /** The upload the stored URL names is gone (expired, or the relay lost it): start anew. */
  | { kind: 'gone' }
  | { kind: 'fatal'; error: IpcError };

export function classifyUploadFailure(err: unknown, maxBytes: number): UploadFailure {
  if (!(err instanceof DetailedError) || !err.originalResponse) return { kind: 'retry' };
  const status = err.originalResponse.getStatus();
  const method = err.originalRequest?.getMethod();
  if (status >= 500 || status === 423 || status === 429) return { kind: 'retry' };
  if (status === 401) return { kind: 'unauthorized' };
  if (status === 409 && method === 'POST') return { kind: 'exists' };
  if ((status === 404 || status === 410) && method !== 'POST') return { kind: 'gone' };
  if (status === 413) {
    const code = bodyCode(err.originalResponse.getBody());
    if (code === 'quota_exceeded') return { kind: 'fatal', error: attachmentError('quota_exceeded') };
    return { kind: 'fatal', error: attachmentError('attachment_too_large', `the relay takes files of at most ${formatBytes(maxBytes)}`, { max: formatBytes(maxBytes) }) };
  }
  return { kind: 'fatal', error: attachmentError('transfer_failed', `the relay refused the upload (HTTP ${status})`) };
}

/** The error code of a JSON error body: a code's name, or the push API's ntfy number for it. */
function bodyCode(body: string): ErrorCode | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const code = (parsed as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && Object.hasOwn(ERRORS, code)) return code as ErrorCode;
  if (typeof code === 'number') {
    return (Object.keys(ERRORS) as ErrorCode[]).find((c) => (ERRORS[c] as { ntfy?: number }).ntfy === code);
  }
  return undefined;
}
