// The attachments of messages in the history database (migrations 005, 011): their pointers (with
// the keys, which live only here, in the encrypted history), where each transfer stands, and the
// views the app is shown. The ciphertext itself is a file in <profile>/attachments/, named by its
// blob id; a forwarded file's rows share their original's blob, and so its file.
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { z } from 'zod';
import { AttachmentPointer, type AttachmentState, type AttachmentView, type BlobId } from '../../shared/attachment.js';
import { ERRORS, IpcError, type ErrorCode, type ErrorParams } from '../../shared/errors.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';

/** The profile's folder of ciphertexts: `<blob id>` (whole, verified or made here), `<blob id>.part` (downloading). */
export const ATTACHMENTS_DIR = 'attachments';

export const attachmentFile = (profileDir: string, id: string): string => path.join(profileDir, ATTACHMENTS_DIR, id);

export interface AttachmentRow {
  /** This device's handle for the attachment: its blob id, unless another row had that already. */
  id: string;
  /** The relay's id of its ciphertext (the pointer's id), which also names the file here. */
  blobId: BlobId;
  messageId: string;
  position: number;
  pointer: AttachmentPointer;
  /** This device uploads it (its ciphertext was made here), rather than downloads it. */
  upload: boolean;
  state: AttachmentState;
  transferred: number;
  error: IpcError | null;
  uploadUrl: string | null;
}

interface Row {
  id: string;
  blob_id: string;
  message_id: string;
  position: number;
  pointer: string;
  upload: number;
  state: AttachmentState;
  transferred: number;
  error: string | null;
  upload_url: string | null;
}

const toRow = (r: Row): AttachmentRow => ({
  id: r.id,
  blobId: r.blob_id,
  messageId: r.message_id,
  position: r.position,
  pointer: AttachmentPointer.parse(JSON.parse(r.pointer)),
  upload: r.upload === 1,
  state: r.state,
  transferred: r.transferred,
  error: r.error === null ? null : IpcError.parse(JSON.parse(r.error)),
  uploadUrl: r.upload_url,
});

/** An error as a row keeps it and a view shows it: its code, the table's English text unless one is given. */
export function attachmentError(code: ErrorCode, message?: string, params?: ErrorParams): IpcError {
  return { code, message: message ?? ERRORS[code].message, ...(params ? { params } : {}) };
}

/** An attachment of a message to store: received ones are 'remote'; files made here 'uploading'. */
export interface NewRow {
  pointer: AttachmentPointer;
  upload: boolean;
  state: AttachmentState;
}

export interface RowChange {
  state?: AttachmentState;
  transferred?: number;
  error?: IpcError | null;
  uploadUrl?: string | null;
}

export class AttachmentStore {
  private readonly q;
  /** Bytes moved by transfers under way, newer than the row's `transferred` (kept at chunk boundaries only). */
  private readonly live = new Map<string, number>();

  constructor(private readonly db: Database.Database) {
    this.q = {
      insert: db.prepare(
        `INSERT OR IGNORE INTO attachments (id, blob_id, message_id, position, pointer, upload, state) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      taken: db.prepare('SELECT 1 FROM attachments WHERE id = ?').pluck(),
      row: db.prepare('SELECT * FROM attachments WHERE id = ?'),
      ofBlob: db.prepare('SELECT * FROM attachments WHERE blob_id = ? ORDER BY rowid'),
      ofMessage: db.prepare('SELECT * FROM attachments WHERE message_id = ? ORDER BY position'),
      ofMessages: db.prepare('SELECT * FROM attachments WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, position'),
      update: db.prepare(
        `UPDATE attachments SET state = coalesce(@state, state), transferred = coalesce(@transferred, transferred),
           error = CASE WHEN @setError THEN @error ELSE error END, upload_url = CASE WHEN @setUrl THEN @uploadUrl ELSE upload_url END
         WHERE id = @id`,
      ),
      // Messages written here whose files are still going up, or all up (or forwarded) and the message not yet handed to the outbox.
      unsent: db
        .prepare(
          `SELECT DISTINCT a.message_id FROM attachments a JOIN messages m ON m.id = a.message_id
           WHERE m.state = 'sending' AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_id = a.message_id)
           ORDER BY m.seq`,
        )
        .pluck(),
      inOutbox: db.prepare('SELECT 1 FROM outbox WHERE message_id = ?').pluck(),
      ids: db.prepare('SELECT blob_id AS id, upload, state FROM attachments'),
      // An interrupted download is not resumed by itself: it waits, as a file never fetched does, to be asked for.
      resetDownloads: db.prepare("UPDATE attachments SET state = 'remote' WHERE state = 'downloading'"),
      // A crash between a message failing and its rows being told: they are failed too.
      resetUploads: db.prepare(
        `UPDATE attachments SET state = 'failed', error = ? WHERE upload = 1 AND state = 'uploading'
           AND message_id IN (SELECT id FROM messages WHERE state != 'sending')`,
      ),
      ofConversation: db
        .prepare('SELECT a.id FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ?')
        .pluck(),
      remove: db.prepare('DELETE FROM attachments WHERE id = ?'),
      // Only from 'failed': a message that failed to send is sent again by a retry of its files.
      resend: db.prepare("UPDATE messages SET state = 'sending' WHERE id = ? AND state = 'failed'"),
    };
  }

  /** Stores a message's files, in order: received ones, or files made here to upload. */
  insert(messageId: string, pointers: readonly AttachmentPointer[], upload: boolean): void {
    this.insertRows(
      messageId,
      pointers.map((pointer) => ({ pointer, upload, state: upload ? 'uploading' : 'remote' })),
    );
  }

  /**
   * Stores a message's files, in order; nothing for a message that has them already (a redelivery).
   * A row is named by its blob id, or by a new id when that blob has a row already (it was forwarded).
   */
  insertRows(messageId: string, rows: readonly NewRow[]): void {
    rows.forEach(({ pointer, upload, state }, position) => {
      const id = this.q.taken.get(pointer.id) === undefined ? pointer.id : newId();
      this.q.insert.run(id, pointer.id, messageId, position, JSON.stringify(pointer), upload ? 1 : 0, state);
    });
  }

  row(id: string): AttachmentRow | undefined {
    const row = this.q.row.get(id) as Row | undefined;
    return row ? toRow(row) : undefined;
  }

  /** Every row of a blob: its original and the forwarded copies this history holds. */
  rowsOfBlob(blobId: string): AttachmentRow[] {
    return (this.q.ofBlob.all(blobId) as Row[]).map(toRow);
  }

  rowsOf(messageId: string): AttachmentRow[] {
    return (this.q.ofMessage.all(messageId) as Row[]).map(toRow);
  }

  update(id: string, change: RowChange): void {
    this.q.update.run({
      id,
      state: change.state ?? null,
      transferred: change.transferred ?? null,
      setError: change.error !== undefined ? 1 : 0,
      error: change.error ? JSON.stringify(change.error) : null,
      setUrl: change.uploadUrl !== undefined ? 1 : 0,
      uploadUrl: change.uploadUrl ?? null,
    });
    if (change.transferred !== undefined || (change.state !== undefined && change.state !== 'uploading' && change.state !== 'downloading')) {
      this.live.delete(id);
    }
  }

  /** Progress of a transfer under way, shown in views without a write per chunk. */
  setLive(id: string, transferred: number): void {
    this.live.set(id, transferred);
  }

  view(row: AttachmentRow): AttachmentView {
    const { key: _key, digest: _digest, id: _blobId, ...shown } = row.pointer;
    return {
      ...shown,
      id: row.id,
      messageId: row.messageId,
      state: row.state,
      transferred: Math.min(this.live.get(row.id) ?? row.transferred, row.pointer.cipherSize),
      error: row.error,
    };
  }

  viewOf(id: string): AttachmentView | undefined {
    const row = this.row(id);
    return row ? this.view(row) : undefined;
  }

  /** Gives each message that has files its views, in order (the history's hook: every message read gets them). */
  decorate(messages: ChatMessage[]): void {
    const texts = messages.filter((m) => m.kind === 'text');
    if (texts.length === 0) return;
    const byMessage = new Map<string, AttachmentView[]>();
    for (const row of this.q.ofMessages.all(JSON.stringify(texts.map((m) => m.id))) as Row[]) {
      const list = byMessage.get(row.message_id) ?? [];
      list.push(this.view(toRow(row)));
      byMessage.set(row.message_id, list);
    }
    for (const message of texts) {
      const views = byMessage.get(message.id);
      if (views) message.attachments = views;
    }
  }

  /** Messages written here still waiting for their files to go up, oldest first. */
  unsentMessages(): string[] {
    return z.array(z.string()).parse(this.q.unsent.all());
  }

  inOutbox(messageId: string): boolean {
    return this.q.inOutbox.get(messageId) !== undefined;
  }

  /** Sets a failed message back to sending; false when it was not failed. */
  resend(messageId: string): boolean {
    return this.q.resend.run(messageId).changes === 1;
  }

  /** At open: transfers the last process left under way are stopped, as they are. */
  settleInterrupted(): void {
    this.db.transaction(() => {
      this.q.resetDownloads.run();
      this.q.resetUploads.run(JSON.stringify(attachmentError('transfer_failed')));
    })();
  }

  /** Every stored attachment's blob id, whether this device uploads it, and its state: what may stay in the folder. */
  all(): { id: string; upload: boolean; state: AttachmentState }[] {
    return (this.q.ids.all() as { id: string; upload: number; state: AttachmentState }[]).map((r) => ({ ...r, upload: r.upload === 1 }));
  }

  /** The ids of a conversation's files. */
  idsOfConversation(conversationId: string): string[] {
    return this.q.ofConversation.all(conversationId) as string[];
  }

  remove(id: string): void {
    this.q.remove.run(id);
    this.live.delete(id);
  }
}
