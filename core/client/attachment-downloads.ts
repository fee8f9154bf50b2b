// Received files: fetched from the relay when asked for (resuming a partial one), verified against
// the digest their sealed pointer carries, kept as ciphertext in the profile, and opened or saved
// as plaintext through a stream. Saving a file not fetched yet decrypts it as it arrives.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { AttachmentView } from '../../shared/attachment.js';
import { attachmentKeyFromText } from '../../shared/attachment-crypto.js';
import { newId } from '../../shared/ids.js';
import { relayHttpUrl } from '../../shared/urls.js';
import { attachmentError, attachmentFile, type AttachmentRow, type AttachmentStore } from '../attachments/attachment-store.js';
import { decryptFrom } from '../attachments/cipher-stream.js';
import { DecryptingWriter } from '../attachments/decrypting-writer.js';
import { downloadOnce } from '../attachments/download.js';
import { ClientError } from '../attachments/errors.js';
import { blobsUrl } from '../attachments/upload.js';

const DOWNLOAD_ATTEMPTS = 4;

/** A file's plaintext, or the part of it asked for (bytes start to end, both included). */
export interface OpenedAttachment {
  body: Readable;
  type: string;
  name: string;
  size: number;
  start: number;
  end: number;
}

export interface DownloadDeps {
  profileDir: string;
  serverUrl: string;
  store: AttachmentStore;
  requireRow(id: string): AttachmentRow;
  /** A file's view changed: `progress` ones may be dropped (throttled), the others not. */
  changed(id: string, progress?: boolean): void;
  log: Logger;
}

export class Downloads {
  /** Downloads under way, by blob id. */
  private readonly running = new Map<string, { rowId: string; stop: AbortController; done: Promise<AttachmentView> }>();
  private closed = false;

  constructor(private readonly d: DownloadDeps) {}

  /**
   * Fetches a received file into the profile (resuming a partial one), verifies it against its
   * pointer's digest and keeps it: resolves to its view, 'ready', or 'damaged', 'missing' or
   * 'failed' with the reason.
   */
  async download(id: string, tap?: DecryptingWriter): Promise<AttachmentView> {
    const row = this.d.requireRow(id);
    if (this.available(row)) return this.d.store.view(row);
    if (row.upload) throw new ClientError('unknown_attachment', 'the file is not on this device');
    // One transfer per blob: a forwarded copy's download waits for its original's, then shares its file.
    const running = this.running.get(row.blobId);
    if (running) {
      if (running.rowId === id) return running.done;
      await running.done.catch(() => undefined);
      return this.download(id, tap);
    }
    if (this.sharesFile(row)) return this.d.store.viewOf(id) ?? this.d.store.view(row);
    const stop = new AbortController();
    const done = this.fetch(row, stop.signal, tap).finally(() => this.running.delete(row.blobId));
    this.running.set(row.blobId, { rowId: id, stop, done });
    return done;
  }

  /**
   * Another row of the same blob has its verified file here: this one is ready too, if its pointer
   * names the same ciphertext (a sender could pair a known blob id with another digest: not this file).
   */
  private sharesFile(row: AttachmentRow): boolean {
    const sibling = this.d.store.rowsOfBlob(row.blobId).find((r) => r.id !== row.id && (r.upload || r.state === 'ready'));
    if (!sibling || !fs.existsSync(attachmentFile(this.d.profileDir, row.blobId))) return false;
    const same = sibling.pointer.digest === row.pointer.digest && sibling.pointer.key === row.pointer.key;
    this.d.store.update(row.id, same ? { state: 'ready', transferred: row.pointer.cipherSize, error: null } : { state: 'damaged', transferred: 0, error: attachmentError('attachment_damaged') });
    this.d.changed(row.id);
    return true;
  }

  private async fetch(row: AttachmentRow, signal: AbortSignal, tap?: DecryptingWriter): Promise<AttachmentView> {
    const { store } = this.d;
    const { id, pointer } = row;
    const file = attachmentFile(this.d.profileDir, row.blobId);
    store.update(id, { state: 'downloading', error: null });
    this.d.changed(id);
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await downloadOnce({
          url: `${blobsUrl(relayHttpUrl(this.d.serverUrl))}/${row.blobId}`,
          file,
          cipherSize: pointer.cipherSize,
          digest: pointer.digest,
          signal,
          // Only a first attempt starts at the first byte for certain; a later one resumes.
          ...(attempt === 1 && tap ? { tap } : {}),
          onProgress: (received) => {
            store.setLive(id, received);
            this.d.changed(id, true);
          },
        });
        if (outcome === 'ready') store.update(id, { state: 'ready', transferred: pointer.cipherSize, error: null });
        else if (outcome === 'missing') store.update(id, { state: 'missing', transferred: 0, error: attachmentError('attachment_missing') });
        else store.update(id, { state: 'damaged', transferred: 0, error: attachmentError('attachment_damaged') });
        if (outcome !== 'ready') this.d.log.info({ id, outcome }, 'a download was refused');
        break;
      } catch (err) {
        const partial = partSize(file);
        if (signal.aborted || this.closed) {
          store.update(id, this.closed ? { state: 'remote', transferred: partial } : { state: 'failed', transferred: partial, error: attachmentError('transfer_cancelled') });
          break;
        }
        this.d.log.debug({ err, id, attempt }, 'a download attempt failed');
        if (attempt >= DOWNLOAD_ATTEMPTS) {
          store.update(id, { state: 'failed', transferred: partial, error: attachmentError('transfer_failed') });
          break;
        }
        await sleep(500 * 2 ** attempt, undefined, { signal }).catch(() => undefined);
      }
    }
    this.d.changed(id);
    return store.viewOf(id) ?? store.view(row);
  }

  /** The plaintext, from a verified ciphertext in the profile; unknown_attachment when there is none. */
  open(id: string, range?: { start: number; end?: number }): OpenedAttachment {
    const row = this.d.store.row(id);
    if (!row || !this.available(row)) throw new ClientError('unknown_attachment', 'the file is not on this device: download it first');
    const { size, type, name, key } = row.pointer;
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? size - 1, size - 1);
    if (size > 0 && (start > end || start < 0)) throw new ClientError('bad_request', `bytes ${start}-${range?.end ?? ''} are not in a file of ${size} bytes`);
    const body = decryptFrom(attachmentFile(this.d.profileDir, row.blobId), attachmentKeyFromText(key), size > 0 ? { start, end } : undefined);
    return { body, type, name, size, start: size > 0 ? start : 0, end: size > 0 ? end : -1 };
  }

  /** Downloads the file if it is not here yet, then writes its plaintext to `out` (whole, or not at all). */
  async save(id: string, out: string): Promise<void> {
    const row = this.d.requireRow(id);
    const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${newId()}.tmp`);
    try {
      if (!this.available(row)) {
        // Nothing of it here yet: decrypted into `tmp` as it arrives, in the same pass.
        const fresh = !this.running.has(row.blobId) && partSize(attachmentFile(this.d.profileDir, row.blobId)) === 0;
        const tap = fresh ? await DecryptingWriter.create(tmp, attachmentKeyFromText(row.pointer.key)) : undefined;
        let written = false;
        let view: AttachmentView;
        try {
          view = await this.download(id, tap);
        } finally {
          written = (await tap?.finish()) ?? false;
        }
        if (view.state !== 'ready') throw ClientError.from(view.error ?? attachmentError('transfer_failed'));
        // Verified by its digest, and every chunk authenticated on the way: done.
        if (written) return await fs.promises.rename(tmp, out);
        await fs.promises.rm(tmp, { force: true });
      }
      await pipeline(this.open(id).body, fs.createWriteStream(tmp, { flags: 'wx' }));
      await fs.promises.rename(tmp, out);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }


  /** The ciphertext is here and may be opened: verified after a download, or made here. */
  available(row: AttachmentRow): boolean {
    if (row.state !== 'ready' && !row.upload) return false;
    if (fs.existsSync(attachmentFile(this.d.profileDir, row.blobId))) return true;
    // Deleted from under the profile: a received one can be fetched again.
    if (!row.upload) this.d.store.update(row.id, { state: 'remote', transferred: 0 });
    return false;
  }

  /** Stops a download (it can be started again); nothing when none runs. */
  async cancel(id: string): Promise<void> {
    const row = this.d.store.row(id);
    const download = row && this.running.get(row.blobId);
    if (download?.rowId !== id) return;
    download.stop.abort();
    await download.done.catch(() => undefined);
  }

  /** Stops the download made for this row, if one runs (its message is going); the part stays. */
  stopFor(row: AttachmentRow): void {
    const download = this.running.get(row.blobId);
    if (download?.rowId === row.id) download.stop.abort();
  }

  /** Stops a blob's download and deletes its file (the last message that had it is going). */
  removeBlob(blobId: string): void {
    this.running.get(blobId)?.stop.abort();
    for (const f of [blobId, `${blobId}.part`]) fs.rmSync(attachmentFile(this.d.profileDir, f), { force: true });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const download of this.running.values()) download.stop.abort();
    await Promise.allSettled([...this.running.values()].map((d) => d.done));
  }
}

function partSize(file: string): number {
  try {
    return fs.statSync(`${file}.part`).size;
  } catch {
    return 0;
  }
}
