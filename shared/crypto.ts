// libsodium is the only crypto library: the same build runs in Node, Electron and the browser.
import sodium from 'libsodium-wrappers-sumo';

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
  'crypto_sign_detached',
  'crypto_sign_verify_detached',
  'crypto_sign_ed25519_pk_to_curve25519',
  'crypto_sign_ed25519_sk_to_curve25519',
  'crypto_box_easy',
  'crypto_box_open_easy',
  'randombytes_buf',
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

export function randomBytes(length: number): Uint8Array {
  return s().randombytes_buf(length);
}

export function generateIdentity(): IdentityKeyPair {
  const kp = s().crypto_sign_keypair();
  return { publicKey: toB64(kp.publicKey), secretKey: toB64(kp.privateKey) };
}

export function sign(message: Uint8Array, secretKey: string): string {
  return toB64(s().crypto_sign_detached(message, fromB64(secretKey)));
}

/** False for a bad signature and for malformed keys or signatures alike. */
export function verify(message: Uint8Array, signature: string, publicKey: string): boolean {
  try {
    return s().crypto_sign_verify_detached(fromB64(signature), message, fromB64(publicKey));
  } catch {
    return false;
  }
}

/** The bytes a device signs to log in: bound to the purpose and to the relay's one-time nonce. */
export function authPayload(nonce: string, identityKey: string): Uint8Array {
  return utf8.encode(`warbler-auth-v1\n${nonce}\n${identityKey}`);
}

/**
 * Authenticated public-key encryption from one identity to another (crypto_box, X25519 keys
 * converted from the Ed25519 identities). The interim scheme until the Double Ratchet lands.
 */
export function sealTo(plaintext: string, recipientIdentity: string, senderSecretKey: string): SealedBox {
  const nonce = randomBytes(s().crypto_box_NONCEBYTES);
  const pk = s().crypto_sign_ed25519_pk_to_curve25519(fromB64(recipientIdentity));
  const sk = s().crypto_sign_ed25519_sk_to_curve25519(fromB64(senderSecretKey));
  const body = s().crypto_box_easy(utf8.encode(plaintext), nonce, pk, sk);
  return { nonce: toB64(nonce), body: toB64(body) };
}

/** Returns null when the box does not authenticate as coming from senderIdentity. */
export function openFrom(box: SealedBox, senderIdentity: string, recipientSecretKey: string): string | null {
  try {
    const pk = s().crypto_sign_ed25519_pk_to_curve25519(fromB64(senderIdentity));
    const sk = s().crypto_sign_ed25519_sk_to_curve25519(fromB64(recipientSecretKey));
    const plain = s().crypto_box_open_easy(fromB64(box.body), fromB64(box.nonce), pk, sk);
    return fromUtf8.decode(plain);
  } catch {
    return null;
  }
}
