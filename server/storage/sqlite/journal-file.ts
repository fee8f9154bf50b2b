// The two files of the queues' journal, used in turn: epoch e is written to file e % 2. A record is
// a 12-byte header (payload length, epoch, CRC-32 of both and of the payload) and a JSON payload.
// Reading an epoch stops at the first record that is not whole and of that epoch: a write torn by
// a crash, or what is left of epoch e - 2 past the end of epoch e. Files are overwritten in place,
// grown with zeros ahead of the writes, so that an fdatasync has data to flush and no file size.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const HEADER = 12;
const GROWTH = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(256 * 1024);

export const JOURNAL_FILES = ['queue-journal-0', 'queue-journal-1'] as const;

/** One of the two files, open for writing from `position`. */
export class JournalFile {
  private constructor(
    private readonly fd: number,
    /** Bytes of the file that exist (written, or grown with zeros). */
    private allocated: number,
    private readonly epoch: number,
    /** Where the next record goes. */
    public position: number,
  ) {}

  /** Opens the file of `epoch` to write that epoch from its start. */
  static create(dir: string, epoch: number): JournalFile {
    const fd = fs.openSync(fileOf(dir, epoch), fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600);
    return new JournalFile(fd, fs.fstatSync(fd).size, epoch, 0);
  }

  /** Opens the file of `epoch` to go on after the records `read` found there. */
  static resume(dir: string, epoch: number, end: number): JournalFile {
    const journal = JournalFile.create(dir, epoch);
    journal.position = end;
    return journal;
  }

  /** Encodes records of this file's epoch (written by `write`). */
  encode(record: unknown): Buffer {
    return encodeRecord(this.epoch, record);
  }

  /** Writes the records after the last ones and waits for them to be on disk. Throws when they may not be. */
  write(chunks: readonly Buffer[]): void {
    if (this.append(chunks)) fs.fdatasyncSync(this.fd);
  }

  /** Writes the records after the last ones, to the page cache; `sync` makes them durable. Whether there were any. */
  append(chunks: readonly Buffer[]): boolean {
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    if (length === 0) return false;
    this.grow(this.position + length);
    let done = fs.writevSync(this.fd, chunks as Buffer[], this.position);
    if (done < length) {
      // A short write (more buffers than one writev takes): the rest from one buffer.
      const all = Buffer.concat(chunks);
      while (done < length) done += fs.writeSync(this.fd, all, done, length - done, this.position + done);
    }
    this.position += length;
    return true;
  }

  /** fdatasync on the thread pool: the relay's thread goes on meanwhile. */
  sync(done: (err: NodeJS.ErrnoException | null) => void): void {
    fs.fdatasync(this.fd, done);
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  private grow(end: number): void {
    if (end <= this.allocated) return;
    const target = Math.ceil((end + GROWTH) / GROWTH) * GROWTH;
    for (let at = this.allocated; at < target; at += ZEROS.length) fs.writeSync(this.fd, ZEROS, 0, Math.min(ZEROS.length, target - at), at);
    this.allocated = target;
  }
}

export function fileOf(dir: string, epoch: number): string {
  return path.join(dir, JOURNAL_FILES[epoch % 2]!);
}

export function encodeRecord(epoch: number, record: unknown): Buffer {
  const payload = JSON.stringify(record);
  const length = Buffer.byteLength(payload);
  const buffer = Buffer.allocUnsafe(HEADER + length);
  buffer.writeUInt32LE(length, 0);
  buffer.writeUInt32LE(epoch >>> 0, 4);
  buffer.write(payload, HEADER, 'utf8');
  buffer.writeUInt32LE(zlib.crc32(buffer.subarray(HEADER), zlib.crc32(buffer.subarray(0, 8))), 8);
  return buffer;
}

/** The whole records of `epoch` from the start of its file, and where they end. */
export function readEpoch(dir: string, epoch: number): { records: unknown[]; end: number } {
  let data: Buffer;
  try {
    data = fs.readFileSync(fileOf(dir, epoch));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], end: 0 };
    throw err;
  }
  const records: unknown[] = [];
  let at = 0;
  for (let record = recordAt(data, at, epoch); record; record = recordAt(data, at, epoch)) {
    records.push(record.value);
    at = record.next;
  }
  return { records, end: at };
}

/** Whether `epoch` holds a record at all, reading only its first one: the file may be 64 MB. */
export function holdsRecords(dir: string, epoch: number): boolean {
  let fd: number;
  try {
    fd = fs.openSync(fileOf(dir, epoch), 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const header = Buffer.alloc(HEADER);
    if (fs.readSync(fd, header, 0, HEADER, 0) < HEADER) return false;
    // A torn header may name any length: checked against the file before anything is allocated.
    const length = header.readUInt32LE(0);
    if (length === 0 || header.readUInt32LE(4) !== epoch >>> 0 || HEADER + length > fs.fstatSync(fd).size) return false;
    const first = Buffer.alloc(HEADER + length);
    const read = fs.readSync(fd, first, 0, first.length, 0);
    return recordAt(first.subarray(0, read), 0, epoch) !== null;
  } finally {
    fs.closeSync(fd);
  }
}

function recordAt(data: Buffer, at: number, epoch: number): { value: unknown; next: number } | null {
  if (at + HEADER > data.length) return null;
  const length = data.readUInt32LE(at);
  if (length === 0 || data.readUInt32LE(at + 4) !== epoch >>> 0 || at + HEADER + length > data.length) return null;
  const payload = data.subarray(at + HEADER, at + HEADER + length);
  if (zlib.crc32(payload, zlib.crc32(data.subarray(at, at + 8))) !== data.readUInt32LE(at + 8)) return null;
  try {
    return { value: JSON.parse(payload.toString('utf8')), next: at + HEADER + length };
  } catch {
    return null;
  }
}
