// libsodium's crypto_secretstream_xchacha20poly1305, one message at a time into the caller's buffer.
//
// Three engines compute the same bytes. 'native' is libsodium itself, compiled for the machine: a
// process that can load native code (the core, in Node or Electron's main process) installs it with
// useNativeSecretStream; it is 3–4× faster than the heap engine on files (measured: ~1.4 GB/s).
// Of the two in WebAssembly, 'heap' calls the functions of the WebAssembly module that
// libsodium-wrappers is built around (it exposes it as `sodium.libsodium`), with its input, output
// and state allocated once per stream in the module's memory: no JavaScript allocation per message.
// 'wrapper' calls the wrapper's public functions, which allocate and copy twice per message; it is
// 2–2.5× slower on a fresh process (measured on 100 MB: ~160 MB/s against ~390 MB/s), and garbage
// per message slows whatever else the process does. The heap engine is used when the module has
// what it needs, the wrapper otherwise (a libsodium-wrappers release that stops exposing it);
// the tests run both and hold them to the same vectors.
import sodium, { type StateAddress } from 'libsodium-wrappers-sumo';

export type SecretStreamEngine = 'native' | 'heap' | 'wrapper';

export const SECRETSTREAM_ABYTES = 17;
export const SECRETSTREAM_HEADER_BYTES = 24;
export const TAG_MESSAGE = 0;
export const TAG_FINAL = 3;

export interface PushStream {
  readonly header: Uint8Array;
  /** Encrypts `plain` (at most the stream's capacity) with `tag` into out[offset…]; the bytes written (plain + 17). */
  push(plain: Uint8Array, tag: number, out: Uint8Array, offset: number): number;
  /** Wipes and frees the stream's state (safe to call twice). */
  dispose(): void;
}

export interface PullStream {
  /** Decrypts one message into out[offset…]; null when it does not authenticate. */
  pull(cipher: Uint8Array, out: Uint8Array, offset: number): { length: number; tag: number } | null;
  dispose(): void;
}

/** The WebAssembly module's exports this file calls (emscripten's names; 64-bit lengths are two 32-bit halves). */
interface Module {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _crypto_secretstream_xchacha20poly1305_statebytes(): number;
  _crypto_secretstream_xchacha20poly1305_init_push(state: number, header: number, key: number): number;
  _crypto_secretstream_xchacha20poly1305_init_pull(state: number, header: number, key: number): number;
  _crypto_secretstream_xchacha20poly1305_push(
    ...args: [state: number, c: number, clenP: number, m: number, mlenLo: number, mlenHi: number, ad: number, adlenLo: number, adlenHi: number, tag: number]
  ): number;
  _crypto_secretstream_xchacha20poly1305_pull(
    ...args: [state: number, m: number, mlenP: number, tagP: number, c: number, clenLo: number, clenHi: number, ad: number, adlenLo: number, adlenHi: number]
  ): number;
}

function heapModule(): Module | undefined {
  const m = (sodium as unknown as { libsodium?: Partial<Module> }).libsodium;
  const needed = [
    '_malloc',
    '_free',
    '_crypto_secretstream_xchacha20poly1305_statebytes',
    '_crypto_secretstream_xchacha20poly1305_init_push',
    '_crypto_secretstream_xchacha20poly1305_init_pull',
    '_crypto_secretstream_xchacha20poly1305_push',
    '_crypto_secretstream_xchacha20poly1305_pull',
  ] as const;
  if (!m || !(m.HEAPU8 instanceof Uint8Array) || needed.some((name) => typeof m[name] !== 'function')) return undefined;
  return m as Module;
}

/** The same streams from native libsodium; see useNativeSecretStream. */
export interface NativeSecretStream {
  push(key: Uint8Array, capacity: number): PushStream;
  pull(key: Uint8Array, header: Uint8Array, capacity: number): PullStream;
}

let native: NativeSecretStream | undefined;

/** Makes native libsodium the default engine (undefined: back to WebAssembly). */
export function useNativeSecretStream(engine: NativeSecretStream | undefined): void {
  native = engine;
}

/** 'native' once installed; else 'heap' when the module exposes what it needs (libsodium must be loaded). */
export function defaultEngine(): SecretStreamEngine {
  if (native) return 'native';
  return heapModule() ? 'heap' : 'wrapper';
}

/**
 * One stream's memory in the module: state, key/header, message in, message out, tag. Wiped and
 * freed by dispose(), or when the stream is collected without it (an abandoned transfer).
 */
class HeapBlock {
  static readonly #collected = new FinalizationRegistry<{ m: Module; ptr: number; size: number }>(({ m, ptr, size }) => wipeAndFree(m, ptr, size));
  readonly ptr: number;
  readonly state: number;
  readonly keyPtr: number;
  readonly headerPtr: number;
  readonly inPtr: number;
  readonly outPtr: number;
  readonly tagPtr: number;
  readonly #size: number;
  #freed = false;

  constructor(
    readonly m: Module,
    readonly capacity: number,
  ) {
    const stateBytes = m._crypto_secretstream_xchacha20poly1305_statebytes();
    const round = (n: number) => Math.ceil(n / 16) * 16;
    // One allocation, carved up: [state][key 32][header 24][in: capacity + 17][out: capacity + 17][tag 1]
    const layout = [round(stateBytes), 32, round(SECRETSTREAM_HEADER_BYTES), round(capacity + SECRETSTREAM_ABYTES), round(capacity + SECRETSTREAM_ABYTES), 16];
    this.#size = layout.reduce((a, b) => a + b, 0);
    this.ptr = m._malloc(this.#size);
    if (this.ptr === 0) throw new Error('libsodium is out of memory');
    let at = this.ptr;
    [this.state, this.keyPtr, this.headerPtr, this.inPtr, this.outPtr, this.tagPtr] = layout.map((n) => {
      const p = at;
      at += n;
      return p;
    }) as [number, number, number, number, number, number];
    HeapBlock.#collected.register(this, { m, ptr: this.ptr, size: this.#size }, this);
  }

  /** The module's memory now: it is replaced when it grows, so never kept across a call. */
  get heap(): Uint8Array {
    return this.m.HEAPU8;
  }

  free(): void {
    if (this.#freed) return;
    this.#freed = true;
    HeapBlock.#collected.unregister(this);
    wipeAndFree(this.m, this.ptr, this.#size);
  }

  get freed(): boolean {
    return this.#freed;
  }
}

function wipeAndFree(m: Module, ptr: number, size: number): void {
  m.HEAPU8.fill(0, ptr, ptr + size);
  m._free(ptr);
}

/** Throws unless a message of `length` fits the stream and `outLength` bytes fit `out` at `offset`. */
export function checkRoom(length: number, capacity: number, out: Uint8Array, offset: number, outLength: number): void {
  if (length > capacity) throw new Error(`a message holds at most ${capacity} bytes here`);
  if (offset < 0 || offset + outLength > out.length) throw new RangeError('the output buffer is too small');
}

class HeapPush implements PushStream {
  readonly header: Uint8Array;
  readonly #b: HeapBlock;

  constructor(m: Module, key: Uint8Array, capacity: number) {
    this.#b = new HeapBlock(m, capacity);
    const b = this.#b;
    b.heap.set(key, b.keyPtr);
    const failed = m._crypto_secretstream_xchacha20poly1305_init_push(b.state, b.headerPtr, b.keyPtr);
    b.heap.fill(0, b.keyPtr, b.keyPtr + 32);
    if (failed) {
      b.free();
      throw new Error('secretstream init_push failed');
    }
    this.header = b.heap.slice(b.headerPtr, b.headerPtr + SECRETSTREAM_HEADER_BYTES);
  }

  push(plain: Uint8Array, tag: number, out: Uint8Array, offset: number): number {
    const b = this.#b;
    if (b.freed) throw new Error('the stream was disposed');
    const written = plain.length + SECRETSTREAM_ABYTES;
    checkRoom(plain.length, b.capacity, out, offset, written);
    b.heap.set(plain, b.inPtr);
    if (b.m._crypto_secretstream_xchacha20poly1305_push(b.state, b.outPtr, 0, b.inPtr, plain.length, 0, 0, 0, 0, tag) !== 0) {
      throw new Error('secretstream push failed');
    }
    out.set(b.heap.subarray(b.outPtr, b.outPtr + written), offset);
    return written;
  }

  dispose(): void {
    this.#b.free();
  }
}

class HeapPull implements PullStream {
  readonly #b: HeapBlock;

  constructor(m: Module, key: Uint8Array, header: Uint8Array, capacity: number) {
    this.#b = new HeapBlock(m, capacity);
    const b = this.#b;
    b.heap.set(key, b.keyPtr);
    b.heap.set(header, b.headerPtr);
    const failed = m._crypto_secretstream_xchacha20poly1305_init_pull(b.state, b.headerPtr, b.keyPtr);
    b.heap.fill(0, b.keyPtr, b.keyPtr + 32);
    if (failed) {
      b.free();
      throw new Error('secretstream init_pull failed');
    }
  }

  pull(cipher: Uint8Array, out: Uint8Array, offset: number): { length: number; tag: number } | null {
    const b = this.#b;
    if (b.freed) throw new Error('the stream was disposed');
    if (cipher.length < SECRETSTREAM_ABYTES) return null;
    const length = cipher.length - SECRETSTREAM_ABYTES;
    checkRoom(length, b.capacity, out, offset, length);
    b.heap.set(cipher, b.inPtr);
    if (b.m._crypto_secretstream_xchacha20poly1305_pull(b.state, b.outPtr, 0, b.tagPtr, b.inPtr, cipher.length, 0, 0, 0, 0) !== 0) return null;
    const heap = b.heap;
    out.set(heap.subarray(b.outPtr, b.outPtr + length), offset);
    // The plaintext does not stay in the module's memory longer than the next message.
    heap.fill(0, b.outPtr, b.outPtr + length);
    return { length, tag: heap[b.tagPtr]! };
  }

  dispose(): void {
    this.#b.free();
  }
}

class WrapperPush implements PushStream {
  readonly header: Uint8Array;
  readonly #state: StateAddress;

  constructor(
    key: Uint8Array,
    private readonly capacity: number,
  ) {
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    this.#state = state;
    this.header = header;
  }

  #disposed = false;

  push(plain: Uint8Array, tag: number, out: Uint8Array, offset: number): number {
    if (this.#disposed) throw new Error('the stream was disposed');
    checkRoom(plain.length, this.capacity, out, offset, plain.length + SECRETSTREAM_ABYTES);
    const cipher = sodium.crypto_secretstream_xchacha20poly1305_push(this.#state, plain, null, tag);
    out.set(cipher, offset);
    return cipher.length;
  }

  dispose(): void {
    // The wrapper never frees a stream's state (52 bytes of its memory) and gives no way to: only forgotten.
    this.#disposed = true;
  }
}

class WrapperPull implements PullStream {
  readonly #state: StateAddress;

  constructor(
    key: Uint8Array,
    header: Uint8Array,
    private readonly capacity: number,
  ) {
    this.#state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, key);
  }

  #disposed = false;

  pull(cipher: Uint8Array, out: Uint8Array, offset: number): { length: number; tag: number } | null {
    if (this.#disposed) throw new Error('the stream was disposed');
    if (cipher.length < SECRETSTREAM_ABYTES) return null;
    checkRoom(cipher.length - SECRETSTREAM_ABYTES, this.capacity, out, offset, cipher.length - SECRETSTREAM_ABYTES);
    let result: { message: Uint8Array; tag: number } | false;
    try {
      result = sodium.crypto_secretstream_xchacha20poly1305_pull(this.#state, cipher, null);
    } catch {
      result = false;
    }
    if (result === false) return null;
    out.set(result.message, offset);
    return { length: result.message.length, tag: result.tag };
  }

  dispose(): void {
    this.#disposed = true;
  }
}

function moduleFor(engine: 'heap' | 'wrapper'): Module | undefined {
  if (engine === 'wrapper') return undefined;
  const m = heapModule();
  if (!m) throw new Error('this libsodium build does not expose its module: use the wrapper engine');
  return m;
}

function nativeEngine(): NativeSecretStream {
  if (!native) throw new Error('native libsodium is not installed in this process');
  return native;
}

/** A new stream to encrypt with `key`, messages of at most `capacity` bytes. */
export function pushStream(key: Uint8Array, capacity: number, engine: SecretStreamEngine = defaultEngine()): PushStream {
  if (engine === 'native') return nativeEngine().push(key, capacity);
  const m = moduleFor(engine);
  return m ? new HeapPush(m, key, capacity) : new WrapperPush(key, capacity);
}

/** A stream to decrypt what pushStream wrote with `key`, starting with its header. */
export function pullStream(key: Uint8Array, header: Uint8Array, capacity: number, engine: SecretStreamEngine = defaultEngine()): PullStream {
  if (engine === 'native') return nativeEngine().pull(key, header, capacity);
  const m = moduleFor(engine);
  return m ? new HeapPull(m, key, header, capacity) : new WrapperPull(key, header, capacity);
}
