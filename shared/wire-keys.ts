// The keys the relay's protocol (shared/protocol.ts) carries: device and account keys, their
// certificates, and the X3DH prekeys a device leaves on the relay for others to start a session.
import { z } from 'zod';

export const b64url = (min: number, max: number) =>
  z.string().min(min).max(max).regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

/** An Ed25519 public key (32 bytes → 43 base64url characters): also a device's id. */
export const IdentityKey = b64url(43, 43);
export const Signature = b64url(86, 86);
/** An X25519 public key (prekeys, ratchet keys). */
export const DhPublicKey = b64url(43, 43);
/** The account key's signature over a device key: the device belongs to the account. */
export const Certificate = Signature;
const PreKeyId = z.number().int().nonnegative().max(2 ** 31 - 1);
export const SignedPreKey = z.object({ id: PreKeyId, publicKey: DhPublicKey, signature: Signature });
export type SignedPreKey = z.infer<typeof SignedPreKey>;
export const OneTimePreKey = z.object({ id: PreKeyId, publicKey: DhPublicKey });
export type OneTimePreKey = z.infer<typeof OneTimePreKey>;
/** One-time prekeys a device keeps on the relay, and how few make it upload more. */
export const ONE_TIME_PREKEYS = 100;
export const ONE_TIME_PREKEYS_LOW = 20;
export const PreKeyUpload = z.object({
  signedPreKey: SignedPreKey.optional(),
  oneTimePreKeys: z.array(OneTimePreKey).max(ONE_TIME_PREKEYS),
});
export type PreKeyUpload = z.infer<typeof PreKeyUpload>;

/** What an initiator adds to its messages until the other device has answered (X3DH's initial message). */
export const PreKeyHeader = z.object({
  ephemeralKey: DhPublicKey,
  signedPreKeyId: PreKeyId,
  oneTimePreKeyId: PreKeyId.nullable(),
});
export type PreKeyHeader = z.infer<typeof PreKeyHeader>;

export const CertifiedDevice = z.object({ key: IdentityKey, certificate: Certificate });
export type CertifiedDevice = z.infer<typeof CertifiedDevice>;
/** An account's key and its devices, each certified by that key. */
export const AccountDevices = z.object({ accountKey: IdentityKey, devices: z.array(CertifiedDevice) });
export type AccountDevices = z.infer<typeof AccountDevices>;

