// Attachments' secretstream on native libsodium (sodium-native: prebuilt for every desktop
// platform, a Node-API addon, so the same binary loads in Node and in Electron's main process).
// Files are the one place where the WebAssembly build's speed shows: a 100 MB file takes ~0.26 s
// to encrypt there and ~0.07 s here. Where the addon does not load, WebAssembly does the work.
import { createRequire } from 'node:module';
import { checkRoom, SECRETSTREAM_ABYTES, useNativeSecretStream, type NativeSecretStream, type PullStream, type PushStream } from '../../shared/secretstream.js';

/** The part of sodium-native's API used here (it ships no types). */
interface Sodium {
  crypto_secretstream_xchacha20poly1305_STATEBYTES: number;
  crypto_secretstream_xchacha20poly1305_HEADERBYTES: number;
  crypto_secretstream_xchacha20poly1305_init_push(state: Uint8Array, header: Uint8Array, key: Uint8Array): void;
  crypto_secretstream_xchacha20poly1305_init_pull(state: Uint8Array, header: Uint8Array, key: Uint8Array): void;
  crypto_secretstream_xchacha20poly1305_push(state: Uint8Array, c: Uint8Array, m: Uint8Array, ad: null, tag: number): number;
  crypto_secretstream_xchacha20poly1305_pull(state: Uint8Array, m: Uint8Array, tag: Uint8Array, c: Uint8Array, ad: null): number;
  sodium_memzero(buffer: Uint8Array): void;
}

class NativePush implements PushStream {
  readonly header: Uint8Array;
  readonly #state: Uint8Array;
  #disposed = false;

  constructor(
    private readonly s: Sodium,
    key: Uint8Array,
    private readonly capacity: number,
  ) {
    this.#state = new Uint8Array(s.crypto_secretstream_xchacha20poly1305_STATEBYTES);
    this.header = new Uint8Array(s.crypto_secretstream_xchacha20poly1305_HEADERBYTES);
    s.crypto_secretstream_xchacha20poly1305_init_push(this.#state, this.header, key);
  }

  push(plain: Uint8Array, tag: number, out: Uint8Array, offset: number): number {
    if (this.#disposed) throw new Error('the stream was disposed');
    const written = plain.length + SECRETSTREAM_ABYTES;
    checkRoom(plain.length, this.capacity, out, offset, written);
    // Straight into the caller's buffer: no copy on either side.
    this.s.crypto_secretstream_xchacha20poly1305_push(this.#state, out.subarray(offset, offset + written), plain, null, tag);
    return written;
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.s.sodium_memzero(this.#state);
  }
}

class NativePull implements PullStream {
  readonly #state: Uint8Array;
  readonly #tag = new Uint8Array(1);
  #disposed = false;

  constructor(
    private readonly s: Sodium,
    key: Uint8Array,
    header: Uint8Array,
    private readonly capacity: number,
  ) {
    this.#state = new Uint8Array(s.crypto_secretstream_xchacha20poly1305_STATEBYTES);
    s.crypto_secretstream_xchacha20poly1305_init_pull(this.#state, header, key);
  }

  pull(cipher: Uint8Array, out: Uint8Array, offset: number): { length: number; tag: number } | null {
    if (this.#disposed) throw new Error('the stream was disposed');
    if (cipher.length < SECRETSTREAM_ABYTES) return null;
    const length = cipher.length - SECRETSTREAM_ABYTES;
    checkRoom(length, this.capacity, out, offset, length);
    try {
      this.s.crypto_secretstream_xchacha20poly1305_pull(this.#state, out.subarray(offset, offset + length), this.#tag, cipher, null);
    } catch {
      // libsodium leaves nothing in `out` that authenticated; the caller refuses the whole file.
      return null;
    }
    return { length, tag: this.#tag[0]! };
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.s.sodium_memzero(this.#state);
  }
}

let loaded: NativeSecretStream | null | undefined;

/** Native libsodium's streams, or null where the addon does not load (loaded once). */
export function nativeSecretStream(): NativeSecretStream | null {
  if (loaded !== undefined) return loaded;
  try {
    const s = createRequire(import.meta.url)('sodium-native') as Sodium;
    loaded = {
      push: (key, capacity) => new NativePush(s, key, capacity),
      pull: (key, header, capacity) => new NativePull(s, key, header, capacity),
    };
  } catch {
    loaded = null;
  }
  return loaded;
}

/** Makes native libsodium attachments' engine in this process where it loads; true when it did. */
export function installNativeSecretStream(): boolean {
  const engine = nativeSecretStream();
  if (engine) useNativeSecretStream(engine);
  return engine !== null;
}
