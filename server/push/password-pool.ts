// Argon2id password checks off the event loop. Each check takes ~50–100 ms of CPU by design; run
// on the relay's one thread, sixty wrong passwords from one address stalled every other client
// for seconds. Here they run on a few worker threads, one check each at a time, and the relay's
// thread only waits for the answer. The queue is bounded: past it, a check is refused at once
// (the caller answers 429) rather than waited for without end.
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

/** Checks waiting for a worker at most, by default; more are refused. */
const MAX_WAITING = 256;

// The worker's code, as text: the relay runs from TypeScript in tests and from JavaScript when
// built, and a worker file would need its own build step. libsodium comes by the resolved path
// the relay itself uses, so a packaged app loads the same copy.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const sodium = require(workerData.sodium);
sodium.ready.then(() => {
  parentPort.on('message', ({ id, hash, password }) => {
    let ok = false;
    try {
      ok = sodium.crypto_pwhash_str_verify(hash, password);
    } catch {
      ok = false;
    }
    parentPort.postMessage({ id, ok });
  });
  parentPort.postMessage({ ready: true });
});
`;

export class PoolBusyError extends Error {
  constructor() {
    super('too many password checks are waiting');
    this.name = 'PoolBusyError';
  }
}

interface Job {
  id: number;
  hash: string;
  password: string;
  resolve(ok: boolean): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export class PasswordPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly size = Math.max(1, Math.min(4, os.availableParallelism() - 1)),
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  /** Whether `password` matches the libsodium `$argon2id$…` string `hash`; PoolBusyError when too many wait. */
  verify(hash: string, password: string): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('the password pool is closed'));
    if (this.waiting.length >= this.maxWaiting) return Promise.reject(new PoolBusyError());
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, hash, password, resolve, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the password pool is closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const slot = this.slots.find((s) => s.job === null) ?? this.spawn();
      if (!slot) return;
      const job = this.waiting.shift()!;
      slot.job = job;
      slot.worker.postMessage({ id: job.id, hash: job.hash, password: job.password });
    }
  }

  /** A new worker while the pool is below its size; undefined when every worker is busy. */
  private spawn(): Slot | undefined {
    if (this.slots.length >= this.size) return undefined;
    const sodiumPath = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sodium: sodiumPath } });
    // An idle pool must not keep the relay's process alive.
    worker.unref();
    const slot: Slot = { worker, job: null };
    worker.on('message', (message: { id?: number; ok?: boolean }) => {
      if (message.id === undefined || slot.job?.id !== message.id) return;
      const job = slot.job;
      slot.job = null;
      job.resolve(message.ok === true);
      this.dispatch();
    });
    worker.on('error', (err) => this.lost(slot, err));
    worker.on('exit', () => this.lost(slot, new Error('a password worker stopped')));
    this.slots.push(slot);
    return slot;
  }

  /** A worker died: its check fails, and the others go on (a new worker is made when needed). */
  private lost(slot: Slot, err: Error): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    slot.job?.reject(err);
    slot.job = null;
    if (!this.closed) this.dispatch();
  }
}
