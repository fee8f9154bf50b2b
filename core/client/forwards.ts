// Forwarding a message to another conversation: its text and files as they stand here, marked as
// forwarded. A file is not uploaded again: its blob (same id, key and ciphertext) is asked to be
// kept on the relay for the new recipients, as Signal reuses a CDN pointer. Only when the relay no
// longer has it, and this device has its ciphertext, does a copy go up under a new id (with the
// same key: the bytes are the same, so nothing new is learnt from them).
import fs from 'node:fs';
import type { ChatMessage } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import { attachmentFile, type AttachmentRow, type AttachmentStore, type NewRow } from '../attachments/attachment-store.js';
import { ClientError } from '../attachments/errors.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';
import { actionable } from './action-payloads.js';
import type { Attachments } from './attachments.js';
import type { Sender } from './sender.js';

export interface ForwardDeps {
  profileDir: string;
  history: History;
  store: AttachmentStore;
  files: Pick<Attachments, 'forward'>;
  sender: Pick<Sender, 'send'>;
  relay: Pick<RelayConnection, 'state' | 'request'>;
}

export class Forwards {
  constructor(private readonly d: ForwardDeps) {}

  /** Sends a copy of the message to the conversation; resolves as send() does (`queue: false`: once the relay has it). */
  async forward(messageId: string, conversationId: string, opts: { queue: boolean }): Promise<ChatMessage> {
    const message = this.d.history.message(messageId);
    if (!message) throw new RelayError('unknown_message', 'no such message');
    if (!actionable(message)) throw new RelayError('message_deleted', 'the message was deleted, or is not one a person wrote');
    const rows = this.d.store.rowsOf(messageId);
    if (rows.length === 0) return this.d.sender.send(conversationId, message.text, { queue: opts.queue, forwarded: true });
    return this.d.files.forward(conversationId, message.text, await this.rowsFor(rows), opts);
  }

  private async rowsFor(rows: readonly AttachmentRow[]): Promise<NewRow[]> {
    const kept = await this.keep([...new Set(rows.map((r) => r.blobId))]);
    const copies: NewRow[] = [];
    try {
      for (const row of rows) {
        const here = this.isHere(row);
        if (kept.has(row.blobId)) {
          copies.push({ pointer: row.pointer, upload: false, state: here ? 'ready' : 'remote' });
          continue;
        }
        if (!here) throw new ClientError('attachment_missing', `"${row.pointer.name}" is no longer on the relay, nor on this device`);
        const pointer = { ...row.pointer, id: newId() };
        await sameBytes(attachmentFile(this.d.profileDir, row.blobId), attachmentFile(this.d.profileDir, pointer.id));
        copies.push({ pointer, upload: true, state: 'uploading' });
      }
    } catch (err) {
      for (const copy of copies) if (copy.upload) fs.rmSync(attachmentFile(this.d.profileDir, copy.pointer.id), { force: true });
      throw err;
    }
    return copies;
  }

  /** The blobs the relay keeps for another time to live; none from a relay that does not know the request. */
  private async keep(blobs: string[]): Promise<Set<string>> {
    if (this.d.relay.state !== 'online') throw new RelayError('offline', 'forwarding files needs the relay, to keep them for the new recipients');
    try {
      return new Set((await this.d.relay.request({ type: 'blob-keep', blobs })).kept);
    } catch (err) {
      // A relay of an earlier release: every file goes up again.
      if (err instanceof RelayError && err.code === 'bad_frame') return new Set();
      throw err;
    }
  }

  /** Its verified ciphertext is in the profile (received and checked, or made here). */
  private isHere(row: AttachmentRow): boolean {
    return (row.upload || row.state === 'ready') && fs.existsSync(attachmentFile(this.d.profileDir, row.blobId));
  }
}

/**
 * The same ciphertext under a second name: a hard link, which costs nothing however large the file
 * (a kept ciphertext is never written again, and removing one name leaves the other); a copy where
 * the file system has no links.
 */
async function sameBytes(from: string, to: string): Promise<void> {
  try {
    await fs.promises.link(from, to);
  } catch (err) {
    if (!['EXDEV', 'EPERM', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
    await fs.promises.copyFile(from, to);
  }
}
