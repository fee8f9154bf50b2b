// The blob store on this machine: each blob's ciphertext is one file named by its id under
// <data>/blobs/ (nothing else is there: no names, no types, no metadata files), and its owner and
// sizes are rows of the relay's database. What an upload has received is the file's length, so an
// upload interrupted by a crash resumes where its bytes end.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobId } from '../../shared/attachment.js';
import type { BlobIndex, BlobReservation } from '../storage/blob-index.js';
import type { BlobInfo, BlobStore, ByteRange } from './blob-store.js';

/** Expired blobs deleted per index query while pruning. */
const EXPIRE_BATCH = 500;

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

export class FileBlobStore implements BlobStore {
  constructor(
    readonly directory: string,
    private readonly index: BlobIndex,
    private readonly now: () => number,
  ) {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
  }

  async create(blob: { id: string; owner: string; size: number }, quotaBytes: number): Promise<BlobReservation> {
    const file = this.fileOf(blob.id);
    const reserved = await this.index.reserve({ ...blob, createdAt: this.now() }, quotaBytes);
    // The id is this upload's now: a file left there (none should be) is truncated, not shared.
    if (reserved === 'reserved') await fsp.writeFile(file, '', { mode: 0o600 });
    return reserved;
  }

  async info(id: string): Promise<BlobInfo | undefined> {
    const row = await this.index.get(id);
    if (!row) return undefined;
    let offset: number;
    try {
      offset = (await fsp.stat(this.fileOf(id))).size;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    // A relay stopped between the last byte and marking it finished: the bytes say it is finished.
    if (row.completedAt === null && offset === row.size) {
      const at = this.now();
      await this.index.complete(id, at);
      return { ...row, offset, completedAt: at };
    }
    return { ...row, offset };
  }

  async append(id: string, source: Readable, offset: number): Promise<number> {
    // flush: the bytes an upload is told were received would survive a power cut, as messages do.
    const out = fs.createWriteStream(this.fileOf(id), { flags: 'r+', start: offset, flush: true });
    await pipeline(source, out);
    return offset + out.bytesWritten;
  }

  async complete(id: string): Promise<void> {
    await this.index.complete(id, this.now());
  }

  keep(id: string): Promise<boolean> {
    return this.index.keep(id, this.now());
  }

  async read(id: string, range: ByteRange): Promise<Readable | undefined> {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(this.fileOf(id), 'r');
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    // Open already: a blob deleted while it streams still streams to its end.
    return handle.createReadStream({ start: range.start, end: range.end });
  }

  async remove(id: string): Promise<void> {
    await fsp.rm(this.fileOf(id), { force: true });
    await this.index.remove(id);
  }

  usedBytes(owner: string): Promise<number> {
    return this.index.usedBytes(owner);
  }

  async expire(finishedBefore: number, unfinishedBefore: number): Promise<number> {
    let removed = 0;
    for (;;) {
      const ids = await this.index.expired(finishedBefore, unfinishedBefore, EXPIRE_BATCH);
      for (const id of ids) await this.remove(id);
      removed += ids.length;
      if (ids.length < EXPIRE_BATCH) return removed;
    }
  }

  /** Ids are checked where they come in; checked again here, as they become paths. */
  private fileOf(id: string): string {
    return path.join(this.directory, BlobId.parse(id));
  }
}
