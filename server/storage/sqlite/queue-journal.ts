// The queues' journal: what the queue stores, written ahead of SQLite. The records appended within
// one turn of the event loop are written together and made durable by one fdatasync, on the thread
// pool: while it runs, the relay's thread goes on and the next records gather for the next one.
// Writers hear that their records are stored only once they are durable, in the order they wrote. One relay at a time owns it: a
// lock file (held by SQLite's own file locking, released by the OS when the process dies) makes a
// second relay on the same data folder fail at start rather than write over the first one's journal.
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { JournalFile, readEpoch } from './journal-file.js';

const LOCK_FILE = 'queue-journal.lock';

export interface JournalHooks {
  /** Read as records are written: what they cover (the highest seq handed out). */
  mark(): number;
  /** Called once the records up to `mark` are durable, before their writers hear of it. */
  synced(mark: number): void;
}

interface Waiter {
  value: unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class QueueJournal {
  private chunks: Buffer[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  /** Set when a write or fdatasync failed: nothing appended after can be trusted to be on disk. */
  private broken: Error | null = null;
  private closed = false;
  /** An fdatasync is running on the thread pool. */
  private syncing = false;
  /** What waits for no fdatasync to be running (switching epochs closes the file). */
  private idleWork: (() => void)[] = [];

  private constructor(
    private readonly dir: string,
    private readonly lock: Database.Database,
    private file: JournalFile,
    private epochNow: number,
    private readonly hooks: JournalHooks,
  ) {}

  /** Takes the data folder's journal, and reads the records of `epoch` left in it. */
  static open(dir: string, epoch: number, hooks: JournalHooks): { journal: QueueJournal; records: unknown[] } {
    const lock = takeLock(dir);
    try {
      const { records, end } = readEpoch(dir, epoch);
      return { journal: new QueueJournal(dir, lock, JournalFile.resume(dir, epoch, end), epoch, hooks), records };
    } catch (err) {
      lock.close();
      throw err;
    }
  }

  get epoch(): number {
    return this.epochNow;
  }

  /** Bytes of the current epoch written so far. */
  get size(): number {
    return this.file.position;
  }

  append(record: unknown): void {
    if (this.closed) throw new Error('the queue journal is closed');
    if (this.broken) throw this.broken;
    this.chunks.push(this.file.encode(record));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Settles with `value` once everything appended so far is on disk. Writers are answered in the
   * order they asked, so envelopes are handed to their devices in the order of their seqs.
   */
  committed<T>(value: T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the queue journal is closed'));
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({ value, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Writes what waits now, and has it made durable. */
  flush(): void {
    this.scheduled = false;
    if (this.closed || this.syncing) return;
    const taken = this.take();
    if (!taken) return;
    const { chunks, waiters } = taken;
    const mark = this.hooks.mark();
    let any: boolean;
    try {
      any = this.file.append(chunks);
    } catch (err) {
      this.fail(err, waiters);
      return;
    }
    if (!any) {
      this.answer(mark, waiters);
      return;
    }
    this.syncing = true;
    this.file.sync((err) => {
      this.syncing = false;
      if (err) this.fail(err, waiters);
      else this.answer(mark, waiters);
      for (const work of this.idleWork.splice(0)) work();
      if (this.chunks.length > 0 || this.waiters.length > 0) this.flush();
    });
  }

  /** Writes what waits now and makes it durable before returning; only while no fdatasync runs. */
  flushNow(): void {
    if (this.syncing) throw new Error('the queue journal is being synced');
    this.scheduled = false;
    const taken = this.take();
    if (!taken) return;
    const { chunks, waiters } = taken;
    const mark = this.hooks.mark();
    try {
      this.file.write(chunks);
    } catch (err) {
      this.fail(err, waiters);
      throw this.broken;
    }
    this.answer(mark, waiters);
  }

  /** Runs `work` once no fdatasync is running: now, or right after the one that is. */
  whenIdle(work: () => void): void {
    if (this.syncing) this.idleWork.push(work);
    else work();
  }

  /** Takes the records and writers waiting; undefined when there are none, or the journal cannot write. */
  private take(): { chunks: Buffer[]; waiters: Waiter[] } | undefined {
    const { chunks, waiters } = this;
    this.chunks = [];
    this.waiters = [];
    if (this.broken) {
      for (const waiter of waiters) waiter.reject(this.broken);
      return undefined;
    }
    return chunks.length > 0 || waiters.length > 0 ? { chunks, waiters } : undefined;
  }

  private answer(mark: number, waiters: Waiter[]): void {
    this.hooks.synced(mark);
    for (const waiter of waiters) waiter.resolve(waiter.value);
  }

  private fail(err: unknown, waiters: Waiter[]): void {
    // After a failed fdatasync the kernel may have dropped the pages it could not write, so a
    // retry could report success for data that is gone: the journal stops taking writes, and a
    // restart reads back what did reach the disk.
    this.broken = new Error(`the queue journal in ${this.dir} could not be written: ${(err as Error).message}`, { cause: err });
    for (const waiter of waiters) waiter.reject(this.broken);
  }

  /**
   * Writes `records` as the start of the next epoch, in the other file, and makes them durable; the
   * journal goes on in the current epoch until `advance`, once the database says the next is current.
   */
  prepareNext(records: readonly unknown[]): JournalFile {
    const next = JournalFile.create(this.dir, this.epochNow + 1);
    try {
      next.write(records.map((record) => next.encode(record)));
    } catch (err) {
      next.close();
      throw err;
    }
    return next;
  }

  advance(next: JournalFile): void {
    this.file.close();
    this.file = next;
    this.epochNow += 1;
  }

  /** Drops a prepared epoch the database did not take. */
  discard(next: JournalFile): void {
    next.close();
  }

  /** Only once idle (see whenIdle). */
  close(): void {
    if (!this.broken) this.flushNow();
    this.closed = true;
    this.file.close();
    this.lock.close();
  }
}

function takeLock(dir: string): Database.Database {
  const nativeBinding = process.env.WARBLER_SQLITE_BINDING;
  // No busy timeout: a second relay is told at once, not after five seconds.
  const lock = new Database(path.join(dir, LOCK_FILE), { timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    lock.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') {
      throw new Error(`another relay is running on ${dir}: one data folder takes one relay at a time`, { cause: err });
    }
    throw err;
  }
  return lock;
}
