// Ed25519 on native libsodium (sodium-native's prebuilt addon) for the relay, which checks a
// signature at every login: 10,000 logins spent a quarter of their time in WebAssembly's verify.
import { createRequire } from 'node:module';
import { useNativeSignatures, type NativeSignatures } from '../shared/crypto.js';

/** The part of sodium-native's API used here (it ships no types). */
interface Sodium {
  crypto_sign_BYTES: number;
  crypto_sign_PUBLICKEYBYTES: number;
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

let loaded: NativeSignatures | null | undefined;

/** Native Ed25519, or null where the addon does not load (loaded once). */
export function nativeSignatures(): NativeSignatures | null {
  if (loaded !== undefined) return loaded;
  try {
    const s = createRequire(import.meta.url)('sodium-native') as Sodium;
    loaded = {
      sign: (message, secretKey) => {
        const signature = new Uint8Array(s.crypto_sign_BYTES);
        s.crypto_sign_detached(signature, message, secretKey);
        return signature;
      },
      // The addon takes a longer signature and reads its first 64 bytes; the WebAssembly build
      // refuses it. Exact lengths keep one signature one string.
      verify: (signature, message, publicKey) =>
        signature.length === s.crypto_sign_BYTES && publicKey.length === s.crypto_sign_PUBLICKEYBYTES && s.crypto_sign_verify_detached(signature, message, publicKey),
    };
  } catch {
    loaded = null;
  }
  return loaded;
}

/** Makes native Ed25519 this process's where it loads; true when it did. */
export function installNativeSignatures(): boolean {
  const engine = nativeSignatures();
  if (engine) useNativeSignatures(engine);
  return engine !== null;
}
