// Attachments: what a message carries about a file (inside the end-to-end encrypted payload), and
// what the app is shown of one. The relay holds only the ciphertext, under a random id; the key,
// the name, the type and the digest travel only inside sealed payloads.
import { z } from 'zod';
import { IpcError } from './errors.js';

/** Where the relay takes uploads (tus) and serves downloads: `${BLOBS_PATH}/<id>`. */
export const BLOBS_PATH = '/v1/blobs';
/** The relay's default limit for one attachment's ciphertext, announced at login. */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 100 * 1024 * 1024;
/** At most this many files in one message. */
export const MAX_ATTACHMENTS = 10;
/**
 * Plaintext bytes per secretstream message. Each ciphertext chunk is this plus 17 bytes (tag and
 * MAC); the ciphertext starts with the 24-byte secretstream header.
 */
export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;

/** A blob's id on the relay: 128 random bits, base64url. Knowing it is what lets a device download it. */
export const BlobId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a blob id');
export type BlobId = z.infer<typeof BlobId>;

/** 'voice': a voice note recorded in the composer; 'audio': any other audio file. */
export const AttachmentKind = z.enum(['image', 'video', 'voice', 'audio', 'file']);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

/** A file name as shown and offered for saving: no folders, no control characters. */
export const AttachmentName = z
  .string()
  .min(1)
  .max(255)
  .refine((name) => ![...name].some((c) => c === '/' || c === '\\' || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) && name !== '.' && name !== '..', 'not a file name');
/** A MIME type, e.g. image/jpeg; application/octet-stream when unknown. */
export const MimeType = z
  .string()
  .max(127)
  .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i, 'not a MIME type');

/** What the app measured of an image, a video or a voice note (the sender's side). */
export const MediaMeta = z
  .object({
    width: z.number().int().min(1).max(100_000).optional(),
    height: z.number().int().min(1).max(100_000).optional(),
    /** Videos and audio, in milliseconds. */
    durationMs: z.number().int().min(0).max(24 * 3600_000).optional(),
    /** ThumbHash of the image or of a video's first frame (a ~25-byte placeholder), base64. */
    thumbhash: z.string().max(64).regex(/^[A-Za-z0-9+/=_-]*$/).optional(),
    /** Voice notes: the loudness of up to 100 equal slices, 0–255. */
    waveform: z.array(z.number().int().min(0).max(255)).max(100).optional(),
  })
  .strict();
export type MediaMeta = z.infer<typeof MediaMeta>;

/** One file in a sealed payload: everything a recipient needs to fetch, verify and decrypt it. */
export const AttachmentPointer = z
  .object({
    id: BlobId,
    /** The file's own secretstream key (32 bytes, base64url). */
    key: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
    /** SHA-256 of the whole ciphertext as stored on the relay, hex. */
    digest: z.string().regex(/^[0-9a-f]{64}$/),
    /** Plaintext bytes. */
    size: z.number().int().nonnegative(),
    /** Ciphertext bytes on the relay. */
    cipherSize: z.number().int().positive(),
    type: MimeType,
    name: AttachmentName,
    kind: AttachmentKind,
  })
  .extend(MediaMeta.shape)
  .strict();
export type AttachmentPointer = z.infer<typeof AttachmentPointer>;

/**
 * Where a file is, as the app shows it. Sending: 'uploading' → 'uploaded' (or 'failed').
 * Receiving: 'remote' (only its pointer is here) → 'downloading' → 'ready' (ciphertext kept in the
 * profile, verified), or 'damaged' (the digest did not match), 'missing' (gone from the relay) or 'failed'.
 */
export const AttachmentState = z.enum(['uploading', 'uploaded', 'remote', 'downloading', 'ready', 'damaged', 'missing', 'failed']);
export type AttachmentState = z.infer<typeof AttachmentState>;

/** An attachment as the app sees it: the pointer without its key, and where its transfer stands. */
export const AttachmentView = z
  .object({
    id: BlobId,
    messageId: z.string().max(64),
    type: MimeType,
    name: AttachmentName,
    kind: AttachmentKind,
    size: z.number().int().nonnegative(),
    state: AttachmentState,
    /** Bytes of ciphertext moved so far, of cipherSize. */
    transferred: z.number().int().nonnegative(),
    cipherSize: z.number().int().positive(),
    /** Why it failed (state 'failed', 'damaged' or 'missing'), by code. */
    error: IpcError.nullable(),
  })
  .extend(MediaMeta.shape);
export type AttachmentView = z.infer<typeof AttachmentView>;

/** A staged file: encrypted and ready to upload with the next message, not yet sent. */
export const StagedId = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a staged attachment id');
export const StagedAttachment = z.object({
  stagedId: StagedId,
  name: AttachmentName,
  type: MimeType,
  kind: AttachmentKind,
  size: z.number().int().nonnegative(),
}).extend(MediaMeta.shape);
export type StagedAttachment = z.infer<typeof StagedAttachment>;

/** How the app asks for a file to be staged. */
export const StageOptions = z
  .object({
    name: AttachmentName,
    type: MimeType,
    /** Send an image as it is (a file), instead of re-encoded without its metadata. */
    asFile: z.boolean().optional(),
    /** A voice note recorded in the composer. */
    voice: z.boolean().optional(),
    meta: MediaMeta.optional(),
  })
  .strict();
export type StageOptions = z.infer<typeof StageOptions>;

/** What kind a file is shown as, from its MIME type. */
export function kindOf(type: string, voice = false): AttachmentKind {
  if (voice) return 'voice';
  if (/^image\/(jpeg|png|gif|webp|avif)$/i.test(type)) return 'image';
  if (/^video\//i.test(type)) return 'video';
  if (/^audio\//i.test(type)) return 'audio';
  return 'file';
}

/** Ciphertext bytes of a plaintext of `size` bytes: header, then one 17-byte overhead per chunk (at least one). */
export function cipherSizeOf(size: number): number {
  const chunks = Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_BYTES));
  return 24 + size + chunks * 17;
}
