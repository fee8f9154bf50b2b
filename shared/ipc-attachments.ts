// The IPC channels and events of attachments, part of the one contract in ipc.ts. Files reach the
// host as bytes, never as paths the page names: WarblerApi.stageAttachment streams a chosen,
// dropped or pasted file to the host, which encrypts it at once; a message then names staged ids.
import { z } from 'zod';
import { AttachmentView, BlobId, MediaMeta, StagedAttachment, StagedId, StageOptions } from './attachment.js';

/** Bytes per piece when the Electron page streams a staged file to the main process. */
export const STAGE_PIECE_BYTES = 1024 * 1024;
/** The web host takes a staged file as one streamed HTTP body, its StageOptions (JSON, URI-encoded) in a header. */
export const STAGE_PATH = '/stage';
export const STAGE_OPTIONS_HEADER = 'x-warbler-stage';

export const attachmentChannels = {
  /** Starts staging a file; its bytes follow in pieces (Electron; the web host takes one HTTP body instead). */
  'attachments:stageBegin': { request: StageOptions.extend({ size: z.number().int().nonnegative() }).strict(), response: z.object({ stagingId: StagedId }) },
  'attachments:stagePiece': {
    request: z.object({ stagingId: StagedId, bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= STAGE_PIECE_BYTES, 'a piece is at most 1 MiB') }).strict(),
    response: z.null(),
  },
  /** All bytes are there: encrypt, make the thumbnail, and keep it staged for the next message. */
  'attachments:stageEnd': { request: z.object({ stagingId: StagedId }).strict(), response: StagedAttachment },
  /** A staged file the person removed from the composer: forgotten, its ciphertext deleted. */
  'attachments:discard': { request: z.object({ stagedId: StagedId }).strict(), response: z.null() },
  /** Fetches a received file now (the app asks when it is shown or opened); progress comes as events. */
  'attachments:download': { request: z.object({ id: BlobId }).strict(), response: AttachmentView },
  /** Stops an upload (the message is then not sent) or a download (it can be started again). */
  'attachments:cancel': { request: z.object({ id: BlobId }).strict(), response: AttachmentView },
  /** Tries a failed upload or download again. */
  'attachments:retry': { request: z.object({ id: BlobId }).strict(), response: AttachmentView },
} as const;

export const attachmentEvents = {
  /** A file's transfer moved on, finished or failed. */
  attachment: AttachmentView,
} as const;

export { AttachmentView, MediaMeta, StagedAttachment, StageOptions };

/** What `stageAttachment` reads: a File or Blob of the page (only the parts used here). */
export interface StageSource {
  readonly size: number;
  slice(start?: number, end?: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

type Invoke = <C extends 'attachments:stageBegin' | 'attachments:stagePiece' | 'attachments:stageEnd'>(
  channel: C,
  request: z.input<(typeof attachmentChannels)[C]['request']>,
) => Promise<z.output<(typeof attachmentChannels)[C]['response']>>;

/** Stages a file over invoke, piece by piece: memory stays at one piece whatever the file's size. */
export async function stageInPieces(invoke: Invoke, file: StageSource, options: StageOptions): Promise<StagedAttachment> {
  const { stagingId } = await invoke('attachments:stageBegin', { ...options, size: file.size });
  for (let at = 0; at < file.size; at += STAGE_PIECE_BYTES) {
    const bytes = new Uint8Array(await file.slice(at, Math.min(file.size, at + STAGE_PIECE_BYTES)).arrayBuffer());
    await invoke('attachments:stagePiece', { stagingId, bytes });
  }
  return invoke('attachments:stageEnd', { stagingId });
}
