// Ed25519 checks off the relay's thread. Every login carries a signature, and checking one costs
// about 55 µs even natively: a thousand devices reconnecting after a restart held every other
// socket for 55 ms. Here the checks of one turn of the event loop go to a worker thread in one
// message, and the relay's thread only encodes them and reads the answers.
//
// One worker: it checks about 18,000 signatures a second, more logins than the relay's own thread
// can serve. Nothing bounds the waiting checks here: each comes from a frame of a socket, and a
// socket stops being read past a few frames waiting (the session's MAX_WAITING_FRAMES).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { fromB64 } from '../shared/crypto.js';

// The worker's code, as text: the relay runs from TypeScript in tests and from JavaScript when
// built, and a worker file would need its own build step. It checks with native libsodium
// (sodium-native) where that loads, and with the WebAssembly build the relay itself uses where not.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
function engine() {
  if (workerData.native) {
    try {
      const s = require(workerData.native);
      return Promise.resolve((sig, msg, key) => s.crypto_sign_verify_detached(sig, msg, key));
    } catch {}
  }
  const sodium = require(workerData.wasm);
  return sodium.ready.then(() => (sig, msg, key) => sodium.crypto_sign_verify_detached(sig, msg, key));
}
engine().then((verify) => {
  // A batch is one buffer: per check, the message's length (u32), signature, key and message.
  parentPort.on('message', ({ batch, count, packed }) => {
    const bytes = new Uint8Array(packed);
    const view = new DataView(packed);
    const answers = new Uint8Array(count);
    let at = 0;
    for (let i = 0; i < count; i++) {
      const length = view.getUint32(at, true);
      const signature = bytes.subarray(at + 4, at + 68);
      const key = bytes.subarray(at + 68, at + 100);
      const message = bytes.subarray(at + 100, at + 100 + length);
      at += 100 + length;
      try {
        answers[i] = verify(signature, message, key) ? 1 : 0;
      } catch {
        answers[i] = 0;
      }
    }
    parentPort.postMessage({ batch, answers }, [answers.buffer]);
  });
});
`;

const SIGNATURE_BYTES = 64;
const PUBLIC_KEY_BYTES = 32;
const CHECK_HEADER_BYTES = 4 + SIGNATURE_BYTES + PUBLIC_KEY_BYTES;
/** A batch takes well under a millisecond a check; one not answered in this time never will be. */
const ANSWER_WITHIN_MS = 10_000;

interface Check {
  signature: Uint8Array;
  message: Uint8Array;
  key: Uint8Array;
}

interface Batch {
  checks: Check[];
  bytes: number;
  answer: ((ok: boolean) => void)[];
  fail: ((err: Error) => void)[];
  deadline?: NodeJS.Timeout;
}

export class SignatureChecks {
  private worker: Worker | null = null;
  private next: Batch | null = null;
  private readonly sent = new Map<number, Batch>();
  private batchId = 0;
  private closed = false;

  /** `native`: false checks with WebAssembly even where native libsodium loads (as where it does not). */
  constructor(private readonly native = true) {}

  /**
   * Whether `signature` (base64url) is `publicKey`'s (base64url) over `message`. A malformed
   * signature or key is false, as is any encoding but the one canonical string of its bytes.
   */
  check(message: Uint8Array, signature: string, publicKey: string): Promise<boolean> {
    if (this.closed) return Promise.reject(new Error('the signature checks are closed'));
    let check: Check;
    try {
      check = { signature: fromB64(signature), message, key: fromB64(publicKey) };
    } catch {
      return Promise.resolve(false);
    }
    // Exact lengths: native libsodium reads the first 64 bytes of a longer signature.
    if (check.signature.length !== SIGNATURE_BYTES || check.key.length !== PUBLIC_KEY_BYTES) return Promise.resolve(false);
    return new Promise<boolean>((resolve, reject) => {
      if (!this.next) {
        this.next = { checks: [], bytes: 0, answer: [], fail: [] };
        setImmediate(() => this.dispatch());
      }
      this.next.checks.push(check);
      this.next.bytes += CHECK_HEADER_BYTES + message.length;
      this.next.answer.push(resolve);
      this.next.fail.push(reject);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new Error('the signature checks are closed'));
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private dispatch(): void {
    const batch = this.next;
    this.next = null;
    if (!batch || this.closed) return;
    const id = ++this.batchId;
    this.sent.set(id, batch);
    try {
      this.worker ??= this.spawn();
    } catch (err) {
      this.sent.delete(id);
      for (const fail of batch.fail) fail(err as Error);
      return;
    }
    // A worker that lives but does not answer (its libsodium never ready) is ended, and what it
    // held fails, rather than logins waiting for ever.
    const worker = this.worker;
    batch.deadline = setTimeout(() => void worker.terminate(), ANSWER_WITHIN_MS).unref();
    // One buffer handed over, not a copy of three arrays per check: posting is most of the cost.
    const packed = new Uint8Array(batch.bytes);
    const view = new DataView(packed.buffer);
    let at = 0;
    for (const { signature, key, message } of batch.checks) {
      view.setUint32(at, message.length, true);
      packed.set(signature, at + 4);
      packed.set(key, at + 4 + SIGNATURE_BYTES);
      packed.set(message, at + CHECK_HEADER_BYTES);
      at += CHECK_HEADER_BYTES + message.length;
    }
    this.worker.postMessage({ batch: id, count: batch.checks.length, packed: packed.buffer }, [packed.buffer]);
  }

  private spawn(): Worker {
    const resolve = createRequire(import.meta.url).resolve;
    let native: string | undefined;
    try {
      native = this.native ? resolve('sodium-native') : undefined;
    } catch {
      native = undefined;
    }
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { native, wasm: resolve('libsodium-wrappers-sumo') } });
    // An idle worker must not keep the relay's process alive.
    worker.unref();
    worker.on('message', ({ batch, answers }: { batch: number; answers: Uint8Array }) => {
      const waiting = this.sent.get(batch);
      if (!waiting) return;
      this.sent.delete(batch);
      clearTimeout(waiting.deadline);
      waiting.answer.forEach((answer, i) => answer(answers[i] === 1));
    });
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', () => this.lost(worker, new Error('the signature worker stopped')));
    return worker;
  }

  /** The worker died: what it held fails, and the next check starts another. */
  private lost(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const batch of this.sent.values()) {
      clearTimeout(batch.deadline);
      for (const fail of batch.fail) fail(err);
    }
    this.sent.clear();
  }

  private failAll(err: Error): void {
    for (const batch of [...this.sent.values(), ...(this.next ? [this.next] : [])]) {
      clearTimeout(batch.deadline);
      for (const fail of batch.fail) fail(err);
    }
    this.sent.clear();
    this.next = null;
  }
}
