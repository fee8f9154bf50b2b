// The attachment channels of the IPC contract (shared/ipc-attachments.ts). A page streams a file
// in pieces (stageBegin, stagePiece…, stageEnd); the pieces feed the core's stageAttachment as they
// come, so the file is encrypted while it arrives and never held whole, with backpressure: a piece
// is answered once there is room for it.
import type { z } from 'zod';
import { cipherSizeOf, type StagedAttachment, type StageOptions } from '../shared/attachment.js';
import type { attachmentChannels } from '../shared/ipc-attachments.js';
import type { InvokeResponse } from '../shared/ipc.js';
import { newId } from '../shared/ids.js';
import { ClientError } from './attachments/errors.js';
import { tooLarge } from './attachments/staging.js';
import type { WarblerClient } from './client.js';
import { ServiceError } from './ipc-errors.js';

/** Files being staged at once (per service): a page cannot open stagings without end. */
export const MAX_STAGINGS = 4;
/** Pieces buffered ahead of the encryption (1 MiB each). */
const BUFFERED_PIECES = 4;
/** A staging nobody sends a piece to for this long is dropped, its partial ciphertext deleted. */
export const STAGING_IDLE_MS = 60_000;

type Channel = keyof typeof attachmentChannels;
type AttachmentHandlers = { [C in Channel]: (request: z.output<(typeof attachmentChannels)[C]['request']>) => Promise<InvokeResponse<C>> };

/** Pieces handed from IPC requests to the staging that reads them. */
class PieceQueue implements AsyncIterable<Uint8Array> {
  private readonly pieces: Uint8Array[] = [];
  private ended = false;
  private failure: Error | undefined;
  /** The reader stopped (it failed, or has all it wants): pieces are no longer taken. */
  private stopped = false;
  private wakeReader: (() => void) | undefined;
  private readonly wakeWriters: (() => void)[] = [];

  /** Resolves once the piece is taken into the buffer. */
  async push(piece: Uint8Array): Promise<void> {
    while (!this.stopped && this.pieces.length >= BUFFERED_PIECES) await new Promise<void>((r) => this.wakeWriters.push(r));
    if (this.stopped) return;
    this.pieces.push(piece);
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  fail(err: Error): void {
    this.failure = err;
    this.wake();
  }

  private wake(): void {
    this.wakeReader?.();
    this.wakeReader = undefined;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      for (;;) {
        if (this.failure) throw this.failure;
        const piece = this.pieces.shift();
        if (piece) {
          this.wakeWriters.shift()?.();
          yield piece;
        } else if (this.ended) {
          return;
        } else {
          await new Promise<void>((r) => (this.wakeReader = r));
        }
      }
    } finally {
      this.stopped = true;
      for (const wake of this.wakeWriters.splice(0)) wake();
    }
  }
}

interface Session {
  size: number;
  received: number;
  queue: PieceQueue;
  result: Promise<StagedAttachment>;
  error: unknown;
  timer: NodeJS.Timeout;
}

export class StageSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly client: () => WarblerClient) {}

  begin(request: StageOptions & { size: number }): { stagingId: string } {
    const { size, ...options } = request;
    const client = this.client();
    if (cipherSizeOf(size) > client.attachmentMaxBytes) throw tooLarge(client.attachmentMaxBytes);
    if (this.sessions.size >= MAX_STAGINGS) throw new ServiceError('rate_limited', `at most ${MAX_STAGINGS} files are staged at once`);
    const stagingId = newId();
    const queue = new PieceQueue();
    const session: Session = { size, received: 0, queue, result: client.stageAttachment(queue, options), error: undefined, timer: this.idleTimer(stagingId) };
    // Kept for the next piece or the end to report; never an unhandled rejection meanwhile.
    session.result.catch((err: unknown) => {
      session.error = err;
    });
    this.sessions.set(stagingId, session);
    return { stagingId };
  }

  async piece({ stagingId, bytes }: { stagingId: string; bytes: Uint8Array }): Promise<null> {
    const session = this.session(stagingId);
    session.received += bytes.length;
    if (session.received > session.size) this.abort(stagingId, new ClientError('bad_request', 'more bytes than the file was said to have'));
    this.check(session);
    await session.queue.push(bytes);
    this.check(session);
    return null;
  }

  async end({ stagingId }: { stagingId: string }): Promise<StagedAttachment> {
    const session = this.session(stagingId);
    if (session.received !== session.size) this.abort(stagingId, new ClientError('bad_request', `the file has ${session.received} of the ${session.size} bytes it was said to have`));
    this.check(session);
    session.queue.end();
    try {
      return await session.result;
    } finally {
      clearTimeout(session.timer);
      this.sessions.delete(stagingId);
    }
  }

  /** Drops every staging (the client closes, or the service does). */
  close(): void {
    for (const id of [...this.sessions.keys()]) this.abort(id, new ClientError('transfer_cancelled', 'the staging was stopped'));
  }

  private session(stagingId: string): Session {
    const session = this.sessions.get(stagingId);
    if (!session) throw new ClientError('unknown_attachment', 'no such staging: it ended, or was idle too long');
    clearTimeout(session.timer);
    session.timer = this.idleTimer(stagingId);
    return session;
  }

  private check(session: Session): void {
    if (session.error === undefined) return;
    for (const [id, s] of this.sessions) if (s === session) this.drop(id);
    throw session.error;
  }

  private abort(stagingId: string, err: Error): void {
    const session = this.sessions.get(stagingId);
    if (!session) return;
    session.error ??= err;
    session.queue.fail(err);
    this.drop(stagingId);
  }

  private drop(stagingId: string): void {
    const session = this.sessions.get(stagingId);
    if (session) clearTimeout(session.timer);
    this.sessions.delete(stagingId);
  }

  private idleTimer(stagingId: string): NodeJS.Timeout {
    const timer = setTimeout(() => this.abort(stagingId, new ClientError('transfer_cancelled', 'the page stopped sending the file')), STAGING_IDLE_MS);
    timer.unref();
    return timer;
  }
}

/** The handlers of the attachment channels, on the service's current client. */
export function attachmentHandlers(client: () => WarblerClient, stagings: StageSessions): AttachmentHandlers {
  return {
    'attachments:stageBegin': async (request) => stagings.begin(request),
    'attachments:stagePiece': async (request) => stagings.piece(request),
    'attachments:stageEnd': async (request) => stagings.end(request),
    'attachments:discard': async ({ stagedId }) => {
      await client().discardStaged(stagedId);
      return null;
    },
    'attachments:download': async ({ id }) => {
      const c = client();
      const done = c.downloadAttachment(id);
      // The answer is where it stands now ('downloading'); how it ends comes as events.
      done.catch(() => undefined);
      return c.attachment(id) ?? (await done);
    },
    'attachments:cancel': async ({ id }) => client().cancelTransfer(id),
    'attachments:retry': async ({ id }) => client().retryTransfer(id),
  };
}
