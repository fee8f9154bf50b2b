// X3DH (Signal's specification): the shared secret that starts a Double Ratchet session with a
// device that may be offline, from its published prekey bundle.
import sodium from 'libsodium-wrappers-sumo';
import { concat, dh, edPublicToX, edSecretToX, hkdf, utf8, type DhKeyPair } from './primitives.js';

const F = new Uint8Array(32).fill(0xff);
const INFO = utf8('Warbler X3DH v1');
const SPK_CONTEXT = utf8('Warbler signed prekey v1\n');

export interface PreKeyBundle {
  /** Ed25519 identity key of the device. */
  identityKey: Uint8Array;
  signedPreKey: { id: number; publicKey: Uint8Array; signature: Uint8Array };
  oneTimePreKey?: { id: number; publicKey: Uint8Array };
}

/** What an identity signs to publish a signed prekey. */
export function signedPreKeyMessage(publicKey: Uint8Array): Uint8Array {
  return concat(SPK_CONTEXT, publicKey);
}

export function signPreKey(identitySecret: Uint8Array, publicKey: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(signedPreKeyMessage(publicKey), identitySecret);
}

export function verifyBundle(bundle: PreKeyBundle): boolean {
  try {
    return sodium.crypto_sign_verify_detached(
      bundle.signedPreKey.signature,
      signedPreKeyMessage(bundle.signedPreKey.publicKey),
      bundle.identityKey,
    );
  } catch {
    return false;
  }
}

export interface X3dhResult {
  /** SK: the Double Ratchet's first root key. */
  sharedKey: Uint8Array;
  /** AD = IK_A ‖ IK_B (Ed25519 identity keys), bound into every message of the session. */
  associatedData: Uint8Array;
}

function derive(dhs: Uint8Array[]): Uint8Array {
  return hkdf(concat(F, ...dhs), new Uint8Array(32), INFO, 32);
}

/** Alice's side. Refuses a bundle whose signed prekey signature does not verify. */
export function x3dhInitiate(
  alice: { identityPublic: Uint8Array; identitySecret: Uint8Array },
  bundle: PreKeyBundle,
  ephemeral: DhKeyPair,
): X3dhResult & { ephemeralPublic: Uint8Array; oneTimePreKeyId: number | null } {
  if (!verifyBundle(bundle)) throw new Error('x3dh: the signed prekey does not verify');
  const ikA = edSecretToX(alice.identitySecret);
  const spkB = bundle.signedPreKey.publicKey;
  const dhs = [dh(ikA, spkB), dh(ephemeral.secretKey, edPublicToX(bundle.identityKey)), dh(ephemeral.secretKey, spkB)];
  if (bundle.oneTimePreKey) dhs.push(dh(ephemeral.secretKey, bundle.oneTimePreKey.publicKey));
  return {
    sharedKey: derive(dhs),
    associatedData: concat(alice.identityPublic, bundle.identityKey),
    ephemeralPublic: ephemeral.publicKey,
    oneTimePreKeyId: bundle.oneTimePreKey?.id ?? null,
  };
}

/** Bob's side, from Alice's initial message. */
export function x3dhRespond(
  bob: { identityPublic: Uint8Array; identitySecret: Uint8Array; signedPreKey: DhKeyPair; oneTimePreKey?: DhKeyPair },
  aliceIdentity: Uint8Array,
  ephemeralPublic: Uint8Array,
): X3dhResult {
  const dhs = [
    dh(bob.signedPreKey.secretKey, edPublicToX(aliceIdentity)),
    dh(edSecretToX(bob.identitySecret), ephemeralPublic),
    dh(bob.signedPreKey.secretKey, ephemeralPublic),
  ];
  if (bob.oneTimePreKey) dhs.push(dh(bob.oneTimePreKey.secretKey, ephemeralPublic));
  return { sharedKey: derive(dhs), associatedData: concat(aliceIdentity, bob.identityPublic) };
}
