// libsodium is the only crypto library: the same build runs in Node, Electron and the browser.
import sodium from 'libsodium-wrappers-sumo';
import { signedPreKeyMessage } from './e2e/x3dh.js';

export interface IdentityKeyPair {
  /** Ed25519 public key, base64url. Also the device's id on the relay. */
  publicKey: string;
  /** Ed25519 secret key (64 bytes), base64url. */
  secretKey: string;
}

export interface SealedBox {
  nonce: string;
  body: string;
}

const REQUIRED = [
  'crypto_sign_keypair',
  'crypto_sign_seed_keypair',
  'crypto_sign_ed25519_sk_to_pk',
  'crypto_box_seal',
  'crypto_box_seal_open',
  'crypto_scalarmult',
  'crypto_scalarmult_base',
  'crypto_aead_xchacha20poly1305_ietf_encrypt',
  'crypto_aead_xchacha20poly1305_ietf_decrypt',
  'crypto_auth_hmacsha256',
  'crypto_auth_hmacsha256_init',
  'crypto_auth_hmacsha256_update',
  'crypto_auth_hmacsha256_final',
  'crypto_hash_sha512',
  'crypto_hash_sha256',
  'crypto_generichash',
  'crypto_pwhash',
  'memcmp',
  'crypto_sign_detached',
  'crypto_sign_verify_detached',
  'crypto_sign_ed25519_pk_to_curve25519',
  'crypto_sign_ed25519_sk_to_curve25519',
  'crypto_box_beforenm',
  'crypto_box_easy_afternm',
  'crypto_box_open_easy_afternm',
  'crypto_secretbox_easy',
  'crypto_secretbox_open_easy',
  'crypto_secretstream_xchacha20poly1305_init_push',
  'crypto_secretstream_xchacha20poly1305_push',
  'crypto_secretstream_xchacha20poly1305_init_pull',
  'crypto_secretstream_xchacha20poly1305_pull',
  'to_base64',
  'from_base64',
] as const;

let ready: Promise<typeof sodium> | undefined;

/** Resolves once libsodium is initialised and every function Warbler calls is present. */
export function loadSodium(): Promise<typeof sodium> {
  ready ??= sodium.ready.then(() => {
    const missing = REQUIRED.filter((name) => typeof (sodium as unknown as Record<string, unknown>)[name] !== 'function');
    if (missing.length > 0) throw new Error(`libsodium is missing: ${missing.join(', ')}`);
    return sodium;
  });
  return ready;
}

function s(): typeof sodium {
  // Every exported function below is only reachable after loadSodium() resolved (the callers await it at start-up).
  return sodium;
}

export const toB64 = (bytes: Uint8Array): string => s().to_base64(bytes, s().base64_variants.URLSAFE_NO_PADDING);
export const fromB64 = (text: string): Uint8Array => s().from_base64(text, s().base64_variants.URLSAFE_NO_PADDING);
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The platform CSPRNG (Web Crypto in Node and browsers alike); libsodium's JS glue draws 4 bytes per call. */
export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

export function generateIdentity(): IdentityKeyPair {
  const kp = s().crypto_sign_keypair();
  return { publicKey: toB64(kp.publicKey), secretKey: toB64(kp.privateKey) };
}

/**
 * Ed25519 from libsodium compiled for the machine. A process that can load native code installs it
 * with useNativeSignatures: the relay checks a signature at every login, and the WebAssembly build
 * takes twice as long. Both compute the same bytes (server/native-signatures.test.ts).
 */
export interface NativeSignatures {
  /** Throws on a malformed key, as the WebAssembly build does. */
  sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  /** Throws or returns false on a malformed key or signature. */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
}

let nativeSignatures: NativeSignatures | undefined;

/** Signs and verifies with `engine` from now on in this process; undefined goes back to WebAssembly. */
export function useNativeSignatures(engine: NativeSignatures | undefined): void {
  nativeSignatures = engine;
}

export function sign(message: Uint8Array, secretKey: string): string {
  const key = fromB64(secretKey);
  return toB64(nativeSignatures ? nativeSignatures.sign(message, key) : s().crypto_sign_detached(message, key));
}

/** False for a bad signature and for malformed keys or signatures alike. */
export function verify(message: Uint8Array, signature: string, publicKey: string): boolean {
  try {
    const [sig, key] = [fromB64(signature), fromB64(publicKey)];
    return nativeSignatures ? nativeSignatures.verify(sig, message, key) : s().crypto_sign_verify_detached(sig, message, key);
  } catch {
    return false;
  }
}

/** What a login signature is bound to besides the device: this connection's challenge, and the relay it is for. */
export interface LoginBinding {
  /** The one-time nonce of the relay's challenge. */
  nonce: string;
  /** The relay's own Ed25519 key, from its challenge. */
  relayKey: string;
  /** The relay's host as the client reached it (shared/urls.ts loginOrigin). */
  origin: string;
}

/**
 * The bytes a device signs to log in. The relay's key and origin are in it so that a relay (or
 * anyone in the middle) that passes another relay's challenge on to a device cannot use the
 * signature it gets back there: each relay checks them against its own.
 */
export function authPayload(binding: LoginBinding, identityKey: string): Uint8Array {
  return utf8.encode(`warbler-auth-v2\n${binding.nonce}\n${identityKey}\n${binding.relayKey}\n${binding.origin}`);
}

/** What an account key signs to certify one of its devices. */
export function certificatePayload(deviceKey: string): Uint8Array {
  return utf8.encode(`warbler-device-v1\n${deviceKey}`);
}

export function certifyDevice(deviceKey: string, accountSecretKey: string): string {
  return sign(certificatePayload(deviceKey), accountSecretKey);
}

export function verifyCertificate(deviceKey: string, certificate: string, accountKey: string): boolean {
  return verify(certificatePayload(deviceKey), certificate, accountKey);
}

/** Digits of the secret part of a link code: typed on the approving device, never sent to the relay. */
export const LINK_SECRET_DIGITS = 10;

/** A random secret of LINK_SECRET_DIGITS digits (rejection sampling: every value equally likely). */
export function newLinkSecret(): string {
  const limit = 10 ** LINK_SECRET_DIGITS;
  const ceiling = Math.floor(2 ** 48 / limit) * limit;
  for (;;) {
    const bytes = randomBytes(6);
    const value = bytes.reduce((n, b) => n * 256 + b, 0);
    if (value < ceiling) return String(value % limit).padStart(LINK_SECRET_DIGITS, '0');
  }
}

/**
 * The key both devices derive from the link secret and the new device's key. Argon2id, so that a
 * relay holding a proof made with it cannot try all 10^10 secrets within a link's ten minutes.
 */
export function linkKey(secret: string, deviceKey: string): Uint8Array {
  const x = s();
  const salt = x.crypto_generichash(x.crypto_pwhash_SALTBYTES, utf8.encode(`warbler-link-v1\n${deviceKey}`), null);
  return x.crypto_pwhash(32, secret, salt, x.crypto_pwhash_OPSLIMIT_INTERACTIVE, x.crypto_pwhash_MEMLIMIT_INTERACTIVE, x.crypto_pwhash_ALG_ARGON2ID13);
}

/** The new device's proof that its key is the one behind the code a person will type. */
export function linkDeviceProof(key: Uint8Array, deviceKey: string): string {
  return toB64(s().crypto_auth_hmacsha256(utf8.encode(`warbler-link-device-v1\n${deviceKey}`), key));
}

/** The approving device's proof that this account key (sealed to that device key) comes from it. */
export function linkAccountProof(key: Uint8Array, accountKey: string, deviceKey: string): string {
  return toB64(s().crypto_auth_hmacsha256(utf8.encode(`warbler-link-account-v1\n${accountKey}\n${deviceKey}`), key));
}

/** Constant-time comparison of two proofs. */
export function sameProof(a: string, b: string): boolean {
  try {
    const x = fromB64(a);
    const y = fromB64(b);
    return x.length === y.length && s().memcmp(x, y);
  } catch {
    return false;
  }
}

/** The account's secret key, sealed (anonymous crypto_box_seal) to a new device's identity. */
export function sealAccountKey(accountSecretKey: string, deviceKey: string): string {
  return toB64(s().crypto_box_seal(fromB64(accountSecretKey), s().crypto_sign_ed25519_pk_to_curve25519(fromB64(deviceKey))));
}

/** The account key pair from what sealAccountKey made; null when it does not open or is not that account's key. */
export function openAccountKey(sealed: string, device: IdentityKeyPair, accountKey: string): IdentityKeyPair | null {
  try {
    const x = s();
    const secret = x.crypto_box_seal_open(
      fromB64(sealed),
      x.crypto_sign_ed25519_pk_to_curve25519(fromB64(device.publicKey)),
      x.crypto_sign_ed25519_sk_to_curve25519(fromB64(device.secretKey)),
    );
    if (secret.length !== 64 || toB64(x.crypto_sign_ed25519_sk_to_pk(secret)) !== accountKey) return null;
    return { publicKey: accountKey, secretKey: toB64(secret) };
  } catch {
    return null;
  }
}

/**
 * Authenticated public-key encryption between device identities (crypto_box: X25519 keys converted
 * from the Ed25519 identities, XSalsa20-Poly1305), for ephemeral frames only (typing): they are never
 * stored, so a ratchet step spent on one that an offline device never sees would be wasted.
 * One instance per device: its X25519 secret is derived once and the shared key with each peer
 * device is computed once (crypto_box_beforenm), which is most of crypto_box's cost.
 */
export class DeviceBox {
  private static readonly MAX_PEERS = 4096;
  private readonly secret: Uint8Array;
  private readonly shared = new Map<string, Uint8Array>();

  constructor(secretKey: string) {
    this.secret = s().crypto_sign_ed25519_sk_to_curve25519(fromB64(secretKey));
  }

  private sharedWith(peerIdentity: string): Uint8Array {
    let key = this.shared.get(peerIdentity);
    if (!key) {
      key = s().crypto_box_beforenm(s().crypto_sign_ed25519_pk_to_curve25519(fromB64(peerIdentity)), this.secret);
      if (this.shared.size >= DeviceBox.MAX_PEERS) this.shared.delete(this.shared.keys().next().value as string);
      this.shared.set(peerIdentity, key);
    }
    return key;
  }

  seal(plaintext: string, recipientIdentity: string): SealedBox {
    const nonce = randomBytes(s().crypto_box_NONCEBYTES);
    const body = s().crypto_box_easy_afternm(utf8.encode(plaintext), nonce, this.sharedWith(recipientIdentity));
    return { nonce: toB64(nonce), body: toB64(body) };
  }

  /** Returns null when the box does not authenticate as coming from senderIdentity. */
  open(box: SealedBox, senderIdentity: string): string | null {
    try {
      const plain = s().crypto_box_open_easy_afternm(fromB64(box.body), fromB64(box.nonce), this.sharedWith(senderIdentity));
      return fromUtf8.decode(plain);
    } catch {
      return null;
    }
  }
}

export function sealTo(plaintext: string, recipientIdentity: string, senderSecretKey: string): SealedBox {
  return new DeviceBox(senderSecretKey).seal(plaintext, recipientIdentity);
}

export function openFrom(box: SealedBox, senderIdentity: string, recipientSecretKey: string): string | null {
  return new DeviceBox(recipientSecretKey).open(box, senderIdentity);
}

/** A signed prekey's signature by the device identity it belongs to. */
/** What a device signs to publish the signed prekey `publicKey` (base64url); throws on a malformed key. */
export function signedPreKeyPayload(publicKey: string): Uint8Array {
  return signedPreKeyMessage(fromB64(publicKey));
}

// ---- keys at rest: the history key, sealed by a passphrase, and what it seals in turn ----------

/** Argon2id cost of a passphrase: 3 passes over 64 MiB (about a quarter of a second here, and the
 * same 64 MiB of WebAssembly memory linking a device already needs, which the process keeps). */
export const PASSPHRASE_OPSLIMIT = 3;
export const PASSPHRASE_MEMLIMIT = 64 * 1024 * 1024;
export const PASSPHRASE_SALT_BYTES = 16;

/** The key a passphrase stands for (Argon2id). Unicode is normalized first: the same words typed on another OS give the same key. */
export function passphraseKey(passphrase: string, salt: Uint8Array, opslimit: number, memlimit: number): Uint8Array {
  const x = s();
  return x.crypto_pwhash(32, utf8.encode(passphrase.normalize('NFC')), salt, opslimit, memlimit, x.crypto_pwhash_ALG_ARGON2ID13);
}

/** crypto_secretbox (XSalsa20-Poly1305) under a 32-byte key, with a fresh random nonce. */
export function secretboxSeal(key: Uint8Array, plain: Uint8Array): SealedBox {
  const nonce = randomBytes(s().crypto_secretbox_NONCEBYTES);
  return { nonce: toB64(nonce), body: toB64(s().crypto_secretbox_easy(plain, nonce, key)) };
}

/** null when the box does not open with this key (a wrong passphrase, or a damaged box). */
export function secretboxOpen(key: Uint8Array, box: SealedBox): Uint8Array | null {
  try {
    return s().crypto_secretbox_open_easy(fromB64(box.body), fromB64(box.nonce), key);
  } catch {
    return null;
  }
}

/** A 32-byte key for one purpose only, derived from a master key (keyed BLAKE2b). */
export function subkey(master: Uint8Array, purpose: string): Uint8Array {
  return s().crypto_generichash(32, utf8.encode(`warbler-${purpose}`), master);
}

/** XChaCha20-Poly1305 under a 32-byte key; `context` is authenticated, so a box cannot be moved to another use. */
export function sealWithKey(key: Uint8Array, plain: Uint8Array, context: string): SealedBox {
  const x = s();
  const nonce = randomBytes(x.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  return { nonce: toB64(nonce), body: toB64(x.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, utf8.encode(context), null, nonce, key)) };
}

export function openWithKey(key: Uint8Array, box: SealedBox, context: string): Uint8Array | null {
  try {
    return s().crypto_aead_xchacha20poly1305_ietf_decrypt(null, fromB64(box.body), utf8.encode(context), fromB64(box.nonce), key);
  } catch {
    return null;
  }
}

/** The public half of an Ed25519 secret key, base64url; null when it is not one. */
export function publicKeyOf(secretKey: Uint8Array): string | null {
  try {
    return secretKey.length === 64 ? toB64(s().crypto_sign_ed25519_sk_to_pk(secretKey)) : null;
  } catch {
    return null;
  }
}

/** Constant-time equality of two byte strings. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && s().memcmp(a, b);
}
