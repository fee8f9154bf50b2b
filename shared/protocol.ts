// The relay's WebSocket protocol: every frame in both directions, as zod schemas.
// Both ends parse what they receive with these; nothing is trusted because of where it came from.
import { z } from 'zod';
import { BlobId, MAX_ATTACHMENTS } from './attachment.js';
import { ErrorParams, errorCodesAt, type ErrorCodeAt } from './errors.js';
import { AccountDevices, Certificate, IdentityKey, PreKeyHeader, PreKeyUpload, Signature, SignedPreKey, b64url } from './wire-keys.js';
import { LinkProof, MessageId, RequestId, Username } from './wire-names.js';

export * from './wire-keys.js';
export * from './wire-names.js';
export * from './wire-results.js';

export const PROTOCOL_VERSION = 3;
/**
 * Sends larger than this get a `frame_too_large` error: a message is sealed once per device, and the
 * largest honest frame is a group's creation sealed for 256 members' devices.
 */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;
/** Every other frame is a few KB (files go over HTTP): larger than this, it is refused. */
export const MAX_CONTROL_FRAME_BYTES = 128 * 1024;
/** Either end closes a socket whose frame is larger than this (1009), without reading it. */
export const MAX_SOCKET_PAYLOAD = 2 * MAX_FRAME_BYTES;
/**
 * Arrays and objects nested deeper than this are refused before parsing: no frame of the protocol
 * goes past 6, and a deep one costs the parser time and memory out of proportion to its size.
 */
export const MAX_JSON_DEPTH = 16;
/** A message's text, in UTF-8 bytes (16 KiB of CJK is ~5,400 characters, of ASCII 16,384). */
export const MAX_TEXT_BYTES = 16 * 1024;
export const WS_PATH = '/v1/ws';
/** WebSocket close codes of both ends: RFC 6455's, and Warbler's own in 4000–4999. */
export const CloseCode = {
  /** The client is done with the connection. */
  normal: 1000,
  /** The relay is shutting down: connect again later. */
  goingAway: 1001,
  /** The other end sent something the protocol does not allow. */
  protocolError: 1002,
  /** The other end broke a rule of this endpoint (a bad push subscription, too many of them). */
  policyViolation: 1008,
  /** A frame could not be handled. */
  internalError: 1011,
  /** An older connection of a device that connected again; the client must not retry it. */
  replaced: 4001,
  /** A device that was removed from its account: it must stop and forget the account. */
  removed: 4003,
  /** The relay stopped waiting: for a login (10 seconds), or for a waiting device's link code to be entered (10 minutes). */
  timedOut: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/** Message text: non-empty, at most MAX_TEXT_BYTES of UTF-8. */
export const MessageText = z
  .string()
  .min(1)
  .refine((text) => utf8Length(text) <= MAX_TEXT_BYTES, `a message may be at most ${MAX_TEXT_BYTES} bytes of UTF-8`);


/**
 * One device's copy of a message. 'ratchet': a Double Ratchet message (header ‖ ciphertext).
 * 'box': a static device-to-device box, only for ephemeral frames (typing), which are never
 * stored and would otherwise burn ratchet keys whenever the other device is offline.
 */
export const Sealed = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ratchet'), body: b64url(1, MAX_FRAME_BYTES), preKey: PreKeyHeader.optional() }),
  z.object({ kind: z.literal('box'), nonce: b64url(32, 32), body: b64url(1, MAX_FRAME_BYTES) }),
]);
export type Sealed = z.infer<typeof Sealed>;

export const SealedEnvelope = z.object({ device: IdentityKey, sealed: Sealed });
export type SealedEnvelope = z.infer<typeof SealedEnvelope>;

// ---- client → relay -------------------------------------------------------------------------

export const RegisterFrame = z.object({
  type: z.literal('register'),
  id: RequestId,
  username: Username,
  identityKey: IdentityKey,
  signature: Signature,
  /** The account's own key: it certifies the account's devices and is what safety numbers compare. */
  accountKey: IdentityKey,
  certificate: Certificate,
  preKeys: PreKeyUpload.extend({ signedPreKey: SignedPreKey }),
});
export const AuthFrame = z.object({
  type: z.literal('auth'),
  id: RequestId,
  identityKey: IdentityKey,
  signature: Signature,
  /** Appear offline from the first moment (the person hides their presence). */
  hidden: z.boolean().optional(),
  /** Appear away from the first moment (chosen by hand, or idle before the connection came back), never online first. */
  away: z.boolean().optional(),
});
export const DevicesFrame = z.object({ type: z.literal('devices'), id: RequestId, username: Username });
/** Most people in one conversation (a group). */
export const MAX_RECIPIENTS = 256;

export const SendFrame = z.object({
  type: z.literal('send'),
  id: RequestId,
  messageId: MessageId,
  /** Everyone the message is for; the sender's own other devices are always included. */
  recipients: z.array(Username).min(1).max(MAX_RECIPIENTS),
  envelopes: z.array(SealedEnvelope).max(4096),
  /** Typing and the like: forwarded to devices online now, never stored or queued. */
  ephemeral: z.boolean().optional(),
  /** Sealed for some of the devices only (a resend to the device that asked): each must be current. */
  partial: z.boolean().optional(),
  /** Recipients this send does not show the sender's presence to (people it blocks, in a group). */
  withholdPresence: z.array(Username).max(MAX_RECIPIENTS).optional(),
  /**
   * The message sent just before this one on the same connection: stored only if that one was, so a
   * client may have several sends on their way and still never see a later one overtake a refused one.
   */
  after: MessageId.optional(),
});
export const AckFrame = z.object({
  type: z.literal('ack'),
  id: RequestId,
  seqs: z.array(z.number().int().positive()).min(1).max(1000),
  /** Those of `seqs` whose senders get no delivery receipt (people this account blocks). */
  noReceipt: z.array(z.number().int().positive()).max(1000).optional(),
});
export const PingFrame = z.object({ type: z.literal('ping'), id: RequestId });
export const PresenceFrame = z.object({
  type: z.literal('presence'),
  id: RequestId,
  state: z.enum(['online', 'away']),
  /** Appear offline (and hide last seen) to everyone. */
  hidden: z.boolean(),
});
/**
 * These people no longer share a conversation with this account (it removed them from, or left, the
 * last group they shared): they stop seeing its presence, until it writes to them again.
 */
export const PresenceWithdrawFrame = z.object({
  type: z.literal('presence-withdraw'),
  id: RequestId,
  usernames: z.array(Username).min(1).max(MAX_RECIPIENTS),
});
/** A new device asks to join an account; the relay answers with a link id to show as a code. */
export const LinkRequestFrame = z.object({
  type: z.literal('link-request'),
  id: RequestId,
  identityKey: IdentityKey,
  signature: Signature,
  preKeys: PreKeyUpload.extend({ signedPreKey: SignedPreKey }),
  /** HMAC of the device key under a key derived from the code's secret part, which the relay never sees. */
  proof: LinkProof,
});
const LinkId = z.string().regex(/^[0-9]{8}$/);
/** A logged-in device asks which device key waits behind the code its user entered. */
export const LinkLookupFrame = z.object({ type: z.literal('link-lookup'), id: RequestId, linkId: LinkId });
/** …then approves it: certifies its key and hands it the account key, sealed to that device. */
export const LinkApproveFrame = z.object({
  type: z.literal('link-approve'),
  id: RequestId,
  linkId: LinkId,
  certificate: Certificate,
  sealedAccount: b64url(100, 200),
  /** HMAC of the account key and the device key under the code's key: the new device checks it. */
  confirmation: LinkProof,
});
/** Publishes a signed prekey and one-time prekeys for this device. */
export const PreKeysFrame = z.object({ type: z.literal('prekeys'), id: RequestId, ...PreKeyUpload.shape });
/** Prekey bundles of some devices of an account, to start sessions with them; each one-time prekey is handed out once. */
export const BundlesFrame = z.object({
  type: z.literal('bundles'),
  id: RequestId,
  username: Username,
  devices: z.array(IdentityKey).min(1).max(64),
});
/** Push topics this session follows, each after the last message id the app has (null: all that is cached). */
export const PushSubscribeFrame = z.object({
  type: z.literal('push-subscribe'),
  id: RequestId,
  topics: z
    .array(z.object({ topic: z.string().regex(/^[-_A-Za-z0-9]{1,64}$/), after: z.string().max(32).nullable() }))
    .max(1000)
    // A topic twice would be followed twice: every push sent twice, and one copy left by unsubscribe.
    .refine((topics) => new Set(topics.map((t) => t.topic)).size === topics.length, 'a topic is named twice'),
});
export const PushUnsubscribeFrame = z.object({
  type: z.literal('push-unsubscribe'),
  id: RequestId,
  topics: z.array(z.string().regex(/^[-_A-Za-z0-9]{1,64}$/)).min(1).max(1000),
});
/** A token for uploading attachments over HTTP (tus, `Authorization: Bearer <token>`), good for a while. */
export const BlobTokenFrame = z.object({ type: z.literal('blob-token'), id: RequestId });
/**
 * Keep these finished blobs for another --queue-ttl from now: this device forwards them (their
 * pointers, key included, go to new recipients) rather than uploading them again.
 */
export const BlobKeepFrame = z.object({ type: z.literal('blob-keep'), id: RequestId, blobs: z.array(BlobId).min(1).max(MAX_ATTACHMENTS) });
/** Unlinks a device of this account: its queue and prekeys go, and it can no longer log in. */
export const DeviceRemoveFrame = z.object({ type: z.literal('device-remove'), id: RequestId, device: IdentityKey });

export const ClientFrame = z.discriminatedUnion('type', [
  RegisterFrame,
  AuthFrame,
  DevicesFrame,
  SendFrame,
  AckFrame,
  PingFrame,
  PresenceFrame,
  PresenceWithdrawFrame,
  LinkRequestFrame,
  LinkLookupFrame,
  LinkApproveFrame,
  PreKeysFrame,
  BundlesFrame,
  DeviceRemoveFrame,
  PushSubscribeFrame,
  PushUnsubscribeFrame,
  BlobTokenFrame,
  BlobKeepFrame,
]);
export type ClientFrame = z.infer<typeof ClientFrame>;
export type ClientFrameType = ClientFrame['type'];

// ---- relay → client -------------------------------------------------------------------------

export const ChallengeFrame = z.object({
  type: z.literal('challenge'),
  protocol: z.number().int(),
  nonce: b64url(43, 43),
  serverTime: z.number().int(),
  /** The relay's own Ed25519 key: it signs every push it sends, so the app can refuse a forged one. */
  relayKey: IdentityKey,
});

export const ResultFrame = z.object({ type: z.literal('result'), id: RequestId, data: z.unknown() });

/** The codes of the relay's error frames: those of the one error table (shared/errors.ts) that occur on the wire. */
export const WireErrorCode = z.enum(errorCodesAt('wire'));
export type WireErrorCode = ErrorCodeAt<'wire'>;

export const ErrorFrame = z.object({
  type: z.literal('error'),
  id: RequestId.nullable(),
  code: WireErrorCode,
  /** English, for logs and scripts; apps translate the code. */
  message: z.string(),
  /** What the app's text for the code needs (e.g. the username that does not exist). */
  params: ErrorParams.optional(),
  /** For device_mismatch: per username, the account and the devices the send must address (own: all but the sender's). */
  accounts: z.record(Username, AccountDevices).optional(),
});

const Sender = z.object({ username: Username, device: IdentityKey });

export const MessageEnvelopeFrame = z.object({
  type: z.literal('envelope'),
  kind: z.literal('message'),
  seq: z.number().int().positive(),
  messageId: MessageId,
  from: Sender,
  serverTime: z.number().int(),
  sealed: Sealed,
});
/** Sent by the relay to the sender's devices when a recipient device has acked a message. */
export const ReceiptEnvelopeFrame = z.object({
  type: z.literal('envelope'),
  kind: z.literal('delivered'),
  seq: z.number().int().positive(),
  messageId: MessageId,
  from: Sender,
  serverTime: z.number().int(),
});
export const EnvelopeFrame = z.discriminatedUnion('kind', [MessageEnvelopeFrame, ReceiptEnvelopeFrame]);
export type EnvelopeFrame = z.infer<typeof EnvelopeFrame>;

/** Everything queued when the session became ready has been sent. */
export const DrainedFrame = z.object({ type: z.literal('drained') });

/** A sealed message for devices online now (typing): not stored, not acked. */
export const EphemeralFrame = z.object({
  type: z.literal('ephemeral'),
  messageId: MessageId,
  from: Sender,
  sealed: Sealed,
});

export const PresenceState = z.enum(['online', 'away', 'offline']);
export type PresenceState = z.infer<typeof PresenceState>;
/** A contact's presence: sent at login for every contact, then on every change. Never queued. */
export const PresenceEventFrame = z.object({
  type: z.literal('presence'),
  username: Username,
  state: PresenceState,
  /** When they were last connected; null while online or when they hide it. */
  lastSeen: z.number().int().nullable(),
});

/** To a device waiting on link-request: it now belongs to this account (whose key it gets, sealed to it); log in normally. */
export const LinkedFrame = z.object({
  type: z.literal('linked'),
  username: Username,
  accountKey: IdentityKey,
  sealedAccount: b64url(100, 200),
  confirmation: LinkProof,
});
/** A push for a topic this session follows: its JSON exactly as signed, and the relay's signature. */
export const PushFrame = z.object({ type: z.literal('push'), json: z.string().max(64 * 1024), signature: Signature });
export type PushFrame = z.infer<typeof PushFrame>;
/** This device's one-time prekeys on the relay ran low: upload more. */
export const PreKeysLowFrame = z.object({ type: z.literal('prekeys-low'), remaining: z.number().int().nonnegative() });

// By `type` (envelopes then by `kind`): a plain union tried each frame in turn, and an envelope,
// the frame a backlog is made of, was parsed at less than half the speed.
export const ServerFrame = z.discriminatedUnion('type', [
  ChallengeFrame,
  ResultFrame,
  ErrorFrame,
  EnvelopeFrame,
  DrainedFrame,
  EphemeralFrame,
  PresenceEventFrame,
  LinkedFrame,
  PreKeysLowFrame,
  PushFrame,
]);
export type ServerFrame = z.infer<typeof ServerFrame>;
export type ErrorFrame = z.infer<typeof ErrorFrame>;
export type EphemeralFrame = z.infer<typeof EphemeralFrame>;
export type PresenceEventFrame = z.infer<typeof PresenceEventFrame>;

/** A short, human-readable description of why a value failed its schema. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'value'}: ${issue.message}`)
    .join('; ');
}
