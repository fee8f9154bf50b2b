// Uploading a message's files, one after another, before the message itself goes: each resumes
// where the relay's copy ends (tus), after a dropped connection or a restart alike. A failure
// the relay's answer settles (too large, over quota) fails the message; one of the network waits
// for the relay and tries again, with backoff (or, for a sender that will not wait, fails it).
import fs from 'node:fs';
import type { Logger } from 'pino';
import type { IpcError } from '../../shared/errors.js';
import { relayHttpUrl } from '../../shared/urls.js';
import { attachmentError, attachmentFile, type AttachmentRow, type AttachmentStore } from '../attachments/attachment-store.js';
import { AbortedError, BlobTokens, blobsUrl, classifyUploadFailure, startUpload, type UploadAttempt } from '../attachments/upload.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';

/** Files going up at once, across messages. */
const PARALLEL_FILES = 2;
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;
/** Network failures in a row a sender that does not wait (queue: false) accepts before giving up. */
const IMPATIENT_ATTEMPTS = 3;

export interface UploadDeps {
  profileDir: string;
  serverUrl: string;
  store: AttachmentStore;
  relay: Pick<RelayConnection, 'state' | 'request' | 'on' | 'off'>;
  maxBytes(): number;
  learnedMax(maxBytes: number): void;
  /** A file's view changed: `progress` ones may be dropped (throttled), the others not. */
  changed(id: string, progress?: boolean): void;
  log: Logger;
}

interface Job {
  messageId: string;
  /** Waits for the relay however long it takes (queue: true), rather than failing the message. */
  patient: boolean;
  stop: AbortController;
  /** Why it stopped: a person cancelled this file, or the client closes. */
  reason?: { cancelled: string } | 'closing';
  current?: { id: string; attempt: UploadAttempt };
  done: Promise<void>;
}

/** The upload stopped for good; `error` is what the file that failed (or was cancelled) shows. */
export class UploadFailed extends Error {
  constructor(
    /** The file that failed or was cancelled. */
    readonly id: string | undefined,
    readonly error: IpcError,
  ) {
    super(error.message);
  }
}

export class Uploads {
  private readonly jobs = new Map<string, Job>();
  private readonly tokens: BlobTokens;
  private readonly endpoint: string;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(private readonly d: UploadDeps) {
    this.endpoint = blobsUrl(relayHttpUrl(d.serverUrl));
    this.tokens = new BlobTokens(
      () => d.relay.request({ type: 'blob-token' }),
      (result) => d.learnedMax(result.maxBytes),
    );
    d.relay.on('state', (state) => {
      // A connection that died silently would leave an HTTP request hanging: stopped, to resume once back.
      if (state !== 'online') for (const job of this.jobs.values()) void job.current?.attempt.abort(false);
    });
  }

  isRunning(messageId: string): boolean {
    return this.jobs.has(messageId);
  }

  /**
   * Uploads the message's files that are not up yet. Resolves once all are; rejects with
   * UploadFailed when one fails for good or is cancelled, and with AbortedError when the client closes.
   */
  run(messageId: string, patient: boolean): Promise<void> {
    const running = this.jobs.get(messageId);
    if (running) return running.done;
    const job: Job = { messageId, patient, stop: new AbortController(), done: Promise.resolve() };
    job.done = this.work(job).finally(() => this.jobs.delete(messageId));
    this.jobs.set(messageId, job);
    return job.done;
  }

  /** Stops the file's message's uploads; the file's upload is deleted on the relay. */
  async cancel(row: AttachmentRow): Promise<void> {
    const job = this.jobs.get(row.messageId);
    if (job) {
      job.reason = { cancelled: row.id };
      job.stop.abort();
      await job.current?.attempt.abort(false);
      await job.done.catch(() => undefined);
    }
    const url = this.d.store.row(row.id)?.uploadUrl;
    if (url) await this.terminate(url);
    this.d.store.update(row.id, { uploadUrl: null, transferred: 0 });
  }

  /** Stops every upload, as it is: each resumes at the next open. */
  async close(): Promise<void> {
    this.closed = true;
    const jobs = [...this.jobs.values()];
    for (const job of jobs) {
      job.reason = 'closing';
      job.stop.abort();
      await job.current?.attempt.abort(false);
    }
    await Promise.allSettled(jobs.map((j) => j.done));
  }

  private async work(job: Job): Promise<void> {
    for (const row of this.d.store.rowsOf(job.messageId)) {
      if (!row.upload || row.state === 'uploaded') continue;
      await this.slot(job);
      try {
        await this.upload(job, row);
      } finally {
        this.release();
      }
    }
  }

  private async upload(job: Job, row: AttachmentRow): Promise<void> {
    const { store } = this.d;
    const file = attachmentFile(this.d.profileDir, row.blobId);
    if (!fs.existsSync(file)) throw new UploadFailed(row.id, attachmentError('unknown_attachment', 'the file to upload is gone from the profile'));
    let url = row.uploadUrl;
    let refreshed = false;
    let recreated = 0;
    let failures = 0;
    let delay = RETRY_MIN_MS;
    if (row.state !== 'uploading') {
      store.update(row.id, { state: 'uploading', error: null });
      this.d.changed(row.id);
    }
    for (;;) {
      this.checkStopped(job);
      await this.online(job, row.id);
      try {
        const token = await this.tokens.get();
        this.checkStopped(job);
        const attempt = startUpload({
          id: row.blobId,
          file,
          cipherSize: row.pointer.cipherSize,
          endpoint: this.endpoint,
          uploadUrl: url,
          token,
          onUrl: (u) => {
            url = u;
            store.update(row.id, { uploadUrl: u });
          },
          onProgress: (sent) => {
            store.setLive(row.id, sent);
            this.d.changed(row.id, true);
          },
          onChunk: (accepted) => store.update(row.id, { transferred: accepted }),
        });
        job.current = { id: row.id, attempt };
        await attempt.done;
        store.update(row.id, { state: 'uploaded', transferred: row.pointer.cipherSize, error: null });
        this.d.changed(row.id);
        return;
      } catch (err) {
        this.checkStopped(job);
        if (err instanceof AbortedError) continue;
        if (err instanceof RelayError && err.code !== 'offline' && err.code !== 'timeout') {
          throw new UploadFailed(row.id, attachmentError('transfer_failed', `the relay gave no upload token: ${err.message}`));
        }
        const failure = err instanceof RelayError ? ({ kind: 'retry' } as const) : classifyUploadFailure(err, this.d.maxBytes());
        this.d.log.debug({ id: row.id, failure: failure.kind }, 'an upload attempt failed');
        switch (failure.kind) {
          case 'fatal':
            throw new UploadFailed(row.id, failure.error);
          case 'unauthorized':
            this.tokens.invalidate();
            if (refreshed) throw new UploadFailed(row.id, attachmentError('transfer_failed', 'the relay refused a fresh upload token'));
            refreshed = true;
            continue;
          case 'exists':
            if (++recreated > 2) throw new UploadFailed(row.id, attachmentError('transfer_failed', 'the relay has an upload of this id it does not resume'));
            url = `${this.endpoint}/${row.blobId}`;
            store.update(row.id, { uploadUrl: url });
            continue;
          case 'gone':
            if (++recreated > 2) throw new UploadFailed(row.id, attachmentError('transfer_failed', 'the relay keeps losing this upload'));
            url = null;
            store.update(row.id, { uploadUrl: null, transferred: 0 });
            continue;
          case 'retry':
            if (!job.patient && ++failures >= IMPATIENT_ATTEMPTS) throw new UploadFailed(row.id, attachmentError('transfer_failed'));
            await this.sleep(job, delay);
            delay = Math.min(RETRY_MAX_MS, delay * 2);
        }
      } finally {
        job.current = undefined;
      }
    }
  }

  private checkStopped(job: Job): void {
    if (job.reason === 'closing' || this.closed) throw new AbortedError();
    if (job.reason) throw new UploadFailed(job.reason.cancelled, attachmentError('transfer_cancelled'));
  }

  /** Resolves once the relay is online; a sender that does not wait fails instead. */
  private async online(job: Job, id: string): Promise<void> {
    const { relay } = this.d;
    if (relay.state === 'online') return;
    if (!job.patient) throw new UploadFailed(id, attachmentError('offline'));
    await new Promise<void>((resolve) => {
      const done = () => {
        relay.off('state', onState);
        job.stop.signal.removeEventListener('abort', done);
        resolve();
      };
      const onState = (state: string) => {
        if (state === 'online') done();
      };
      relay.on('state', onState);
      job.stop.signal.addEventListener('abort', done);
    });
    this.checkStopped(job);
  }

  private async sleep(job: Job, ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        job.stop.signal.removeEventListener('abort', done);
        resolve();
      }
      job.stop.signal.addEventListener('abort', done);
    });
    this.checkStopped(job);
  }

  /** Waits for a free slot; throws, holding none, when the job stops meanwhile. */
  private async slot(job: Job): Promise<void> {
    if (this.running < PARALLEL_FILES) {
      this.running += 1;
      return;
    }
    const granted = await new Promise<boolean>((resolve) => {
      const grant = () => {
        job.stop.signal.removeEventListener('abort', stop);
        resolve(true);
      };
      const stop = () => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        resolve(false);
      };
      this.waiting.push(grant);
      job.stop.signal.addEventListener('abort', stop);
    });
    if (!granted) this.checkStopped(job);
    this.running += 1;
  }

  private release(): void {
    this.running -= 1;
    this.waiting.shift()?.();
  }

  private async terminate(url: string): Promise<void> {
    try {
      const token = await this.tokens.get();
      await fetch(url, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0', Authorization: `Bearer ${token}` } }).then((r) => r.body?.cancel());
    } catch (err) {
      // It expires on the relay with the queue's TTL all the same.
      this.d.log.debug({ err }, 'could not delete a cancelled upload on the relay');
    }
  }
}

