// What the relay answers each request of the protocol (shared/protocol.ts) with: the `data` of a
// result frame, per request type.
import { z } from 'zod';
import { BlobId, MAX_ATTACHMENTS } from './attachment.js';
import type { ClientFrameType } from './protocol.js';
import { AccountDevices, IdentityKey, OneTimePreKey, SignedPreKey } from './wire-keys.js';
import { LinkProof, MessageId, Username } from './wire-names.js';

export const RegisterResult = z.object({ username: Username, identityKey: IdentityKey });
export const AuthResult = z.object({
  username: Username,
  identityKey: IdentityKey,
  /** Messages for this device that expired on the relay while it was away. */
  expired: z.number().int().nonnegative(),
  /** Messages for this device the relay refused while its queue was full. */
  refused: z.number().int().nonnegative(),
  /** One-time prekeys of this device still on the relay. */
  oneTimePreKeys: z.number().int().nonnegative(),
  /** The largest attachment (ciphertext bytes) the relay takes; absent from relays without attachments. */
  attachmentMaxBytes: z.number().int().positive().optional(),
});
export const DevicesResult = AccountDevices.extend({ username: Username });
export const Bundle = z.object({ device: IdentityKey, signedPreKey: SignedPreKey, oneTimePreKey: OneTimePreKey.nullable() });
export type Bundle = z.infer<typeof Bundle>;
export const BundlesResult = z.object({ bundles: z.array(Bundle) });
export const PreKeysResult = z.object({ oneTimePreKeys: z.number().int().nonnegative() });
export const DeviceRemoveResult = z.object({});
export const LinkLookupResult = z.object({ identityKey: IdentityKey, proof: LinkProof });
export const PushSubscribeResult = z.object({});
export const SendResult = z.object({ messageId: MessageId, serverTime: z.number().int(), duplicate: z.boolean() });
export const AckResult = z.object({ removed: z.number().int().nonnegative() });
export const PingResult = z.object({ serverTime: z.number().int() });
export const PresenceResult = z.object({});
export const LinkRequestResult = z.object({ linkId: z.string(), expiresAt: z.number().int() });
export const LinkApproveResult = z.object({ identityKey: IdentityKey });
export const BlobTokenResult = z.object({
  token: z.string().min(1).max(1024),
  /** ms; ask for a new token before then. */
  expiresAt: z.number().int(),
  /** The largest attachment (ciphertext bytes) the relay takes. */
  maxBytes: z.number().int().positive(),
  /** Bytes this account may keep on the relay at once, and how many it keeps now. */
  quotaBytes: z.number().int().positive(),
  usedBytes: z.number().int().nonnegative(),
});
/** The blobs kept; any other is gone (expired, or never finished) and must be uploaded again. */
export const BlobKeepResult = z.object({ kept: z.array(BlobId).max(MAX_ATTACHMENTS) });

export interface ResultData {
  register: z.infer<typeof RegisterResult>;
  auth: z.infer<typeof AuthResult>;
  devices: z.infer<typeof DevicesResult>;
  send: z.infer<typeof SendResult>;
  ack: z.infer<typeof AckResult>;
  ping: z.infer<typeof PingResult>;
  presence: z.infer<typeof PresenceResult>;
  'presence-withdraw': z.infer<typeof PresenceResult>;
  'link-request': z.infer<typeof LinkRequestResult>;
  'link-lookup': z.infer<typeof LinkLookupResult>;
  'link-approve': z.infer<typeof LinkApproveResult>;
  prekeys: z.infer<typeof PreKeysResult>;
  bundles: z.infer<typeof BundlesResult>;
  'device-remove': z.infer<typeof DeviceRemoveResult>;
  'push-subscribe': z.infer<typeof PushSubscribeResult>;
  'push-unsubscribe': z.infer<typeof PushSubscribeResult>;
  'blob-token': z.infer<typeof BlobTokenResult>;
  'blob-keep': z.infer<typeof BlobKeepResult>;
}
export const resultSchemas = {
  register: RegisterResult,
  auth: AuthResult,
  devices: DevicesResult,
  send: SendResult,
  ack: AckResult,
  ping: PingResult,
  presence: PresenceResult,
  'presence-withdraw': PresenceResult,
  'link-request': LinkRequestResult,
  'link-lookup': LinkLookupResult,
  'link-approve': LinkApproveResult,
  prekeys: PreKeysResult,
  bundles: BundlesResult,
  'device-remove': DeviceRemoveResult,
  'push-subscribe': PushSubscribeResult,
  'push-unsubscribe': PushSubscribeResult,
  'blob-token': BlobTokenResult,
  'blob-keep': BlobKeepResult,
} as const satisfies { [K in ClientFrameType]: z.ZodType<ResultData[K]> };
