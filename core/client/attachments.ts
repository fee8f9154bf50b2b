// Files in messages, end to end: staged (encrypted) files, a message that carries them (written
// first, its files uploaded, then the message itself goes through the outbox with their pointers),
// downloads when asked (verified against the sealed digest, kept as ciphertext), and plaintext
// only as a stream to whoever opens or saves a file. The 'attachment' event tells of every change.
import type { Logger } from 'pino';
import { DEFAULT_ATTACHMENT_MAX_BYTES, MAX_ATTACHMENTS, type AttachmentView, type StagedAttachment, type StageOptions } from '../../shared/attachment.js';
import type { ChatMessage } from '../../shared/ipc.js';
import type { Quote } from '../../shared/payload.js';
import { MessageText } from '../../shared/protocol.js';
import type { History } from '../history.js';
import { attachmentError, type AttachmentRow, type AttachmentStore, type NewRow } from '../attachments/attachment-store.js';
import { ClientError } from '../attachments/errors.js';
import { Staging, removeLeftovers } from '../attachments/staging.js';
import type { RelayConnection } from '../relay/connection.js';
import { RelayError } from '../relay/error.js';
import { Downloads, type OpenedAttachment } from './attachment-downloads.js';
import { UploadFailed, Uploads } from './attachment-uploads.js';
import { carried, outgoingText } from './sender.js';
import type { Conversations } from './conversations.js';
import type { Emit } from './events.js';
import type { Outbox } from './outbox.js';

/** Progress events per file at most every this many ms (state changes always go at once). */
const PROGRESS_EVERY_MS = 100;
const MAX_BYTES_SETTING = 'relay.attachmentMaxBytes';

export interface AttachmentDeps {
  me: string;
  profileDir: string;
  serverUrl: string;
  history: History;
  store: AttachmentStore;
  conversations: Pick<Conversations, 'target' | 'announce'>;
  outbox: Pick<Outbox, 'add' | 'flush' | 'flushSoon' | 'takeError'>;
  relay: Pick<RelayConnection, 'state' | 'lastError' | 'request' | 'attachmentMaxBytes' | 'on' | 'off'>;
  emit: Emit;
  log: Logger;
}

export class Attachments {
  private readonly staging: Staging;
  private readonly uploads: Uploads;
  private readonly downloads: Downloads;
  private readonly lastProgress = new Map<string, number>();
  private learned: number | undefined;
  private closed = false;

  constructor(private readonly d: AttachmentDeps) {
    this.staging = new Staging({ profileDir: d.profileDir, maxBytes: () => this.maxBytes() });
    this.uploads = new Uploads({
      profileDir: d.profileDir,
      serverUrl: d.serverUrl,
      store: d.store,
      relay: d.relay,
      maxBytes: () => this.maxBytes(),
      learnedMax: (max) => this.learn(max),
      changed: (id, progress) => this.changedId(id, progress),
      log: d.log,
    });
    this.downloads = new Downloads({
      profileDir: d.profileDir,
      serverUrl: d.serverUrl,
      store: d.store,
      requireRow: (id) => this.requireRow(id),
      changed: (id, progress) => this.changedId(id, progress),
      log: d.log,
    });
    // What the last process left: transfers under way stop as they are; files nothing refers to go.
    d.store.settleInterrupted();
    const removed = removeLeftovers(d.profileDir, d.store.all());
    if (removed.length > 0) d.log.info({ files: removed.length }, 'removed attachment files nothing refers to');
  }

  /** The largest ciphertext the relay takes: as it said at login or with a token, else as it said last time. */
  maxBytes(): number {
    const stored = Number(this.d.history.setting(MAX_BYTES_SETTING));
    return this.learned ?? this.d.relay.attachmentMaxBytes ?? (stored > 0 ? stored : DEFAULT_ATTACHMENT_MAX_BYTES);
  }

  /** Online: the relay's limit is remembered, and the uploads of messages not sent yet go on. */
  online(): void {
    const max = this.d.relay.attachmentMaxBytes;
    if (max !== undefined) this.learn(max);
    for (const messageId of this.d.store.unsentMessages()) {
      if (!this.uploads.isRunning(messageId)) this.sendInBackground(messageId);
    }
  }

  stage(source: AsyncIterable<Uint8Array>, options: StageOptions): Promise<StagedAttachment> {
    return this.staging.stage(source, options);
  }

  discard(stagedId: string): Promise<void> {
    return this.staging.discard(stagedId);
  }

  /**
   * Writes the message and its files' rows, then uploads the files and only then hands the message
   * to the outbox. `queue: true` resolves once written (state 'sending'; the rest goes on, told by
   * events, and resumes after a restart); `queue: false` resolves once the relay stored the message,
   * and marks it failed and throws when that cannot happen now.
   */
  async send(conversationId: string, text: string, stagedIds: readonly string[], opts: { queue: boolean; replyTo?: Quote }): Promise<ChatMessage> {
    if (stagedIds.length > MAX_ATTACHMENTS) throw new ClientError('bad_request', `a message carries at most ${MAX_ATTACHMENTS} files`);
    const target = this.d.conversations.target(conversationId);
    const pointers = this.staging.take(stagedIds);
    const rows = pointers.map((pointer): NewRow => ({ pointer, upload: true, state: 'uploading' }));
    let message: ChatMessage;
    try {
      message = this.write(target.conversationId, text, rows, opts);
    } catch (err) {
      this.staging.restore(pointers);
      throw err;
    }
    return this.dispatch(message, opts.queue);
  }

  /**
   * Forwards files this history has (forwardedRows: their blobs kept on the relay, or copies to
   * upload again) as a new message, sent as send() sends one.
   */
  async forward(conversationId: string, text: string, rows: readonly NewRow[], opts: { queue: boolean }): Promise<ChatMessage> {
    return this.dispatch(this.write(conversationId, text, rows, { forwarded: true }), opts.queue);
  }

  /** The message and its files' rows, written in one transaction (or, when it throws, not at all). */
  private write(conversationId: string, text: string, rows: readonly NewRow[], opts: { replyTo?: Quote | undefined; forwarded?: true }): ChatMessage {
    const { history, store, conversations } = this.d;
    const body = text === '' ? '' : MessageText.parse(text);
    const target = conversations.target(conversationId);
    const message = outgoingText(target.conversationId, this.d.me, body, { replyTo: opts.replyTo, forwarded: opts.forwarded, expiresIn: target.expiresIn });
    history.durable(() => {
      history.addMessage(message, { read: true, fromRelay: false });
      store.insertRows(message.id, rows);
    });
    store.decorate([message]);
    conversations.announce(message);
    return message;
  }

  /** Uploads what needs to go up, then hands the message to the outbox; see send(). */
  private dispatch(message: ChatMessage, queue: boolean): Promise<ChatMessage> {
    if (queue) {
      this.sendInBackground(message.id);
      return Promise.resolve(message);
    }
    return this.sendNow(message.id);
  }

  private sendInBackground(messageId: string): void {
    this.uploads.run(messageId, true).then(
      () => this.handOver(messageId, true),
      (err: unknown) => this.uploadStopped(messageId, err),
    ).catch((err: unknown) => this.d.log.error({ err }, 'sending a message with files failed'));
  }

  private async sendNow(messageId: string): Promise<ChatMessage> {
    const { history, outbox, relay } = this.d;
    try {
      await this.uploads.run(messageId, false);
    } catch (err) {
      this.uploadStopped(messageId, err);
      throw err instanceof UploadFailed ? ClientError.from(err.error) : err;
    }
    await this.handOver(messageId, false);
    if (relay.state === 'online') await outbox.flush();
    const now = history.message(messageId);
    const failure = outbox.takeError(messageId);
    if (!now || now.state === 'failed') throw failure ?? new RelayError('failed', 'the message could not be sent');
    if (now.state === 'sending') {
      history.dequeue(messageId);
      this.fail(messageId);
      throw failure ?? relay.lastError ?? new RelayError('offline', 'not connected to the relay');
    }
    return now;
  }

  /** All files are up: the message, with their pointers, goes into the outbox (once). */
  private async handOver(messageId: string, flush: boolean): Promise<void> {
    const { history, store, outbox, conversations } = this.d;
    const message = history.message(messageId);
    const rows = store.rowsOf(messageId);
    // A forwarded file whose blob the relay kept (not uploaded by this device) is ready to go as it is.
    if (this.closed || message?.state !== 'sending' || rows.some((r) => r.upload && r.state !== 'uploaded') || store.inOutbox(messageId)) return;
    let target;
    try {
      target = conversations.target(message.conversationId);
    } catch (err) {
      this.fail(messageId);
      throw err;
    }
    const chat = target.chat;
    history.durable(() => {
      outbox.add(target.recipients, { kind: 'text', chat, text: message.text, attachments: rows.map((r) => r.pointer), ...carried(message) }, { id: messageId, sentAt: message.sentAt });
    });
    if (flush) outbox.flushSoon();
  }

  /** The uploads stopped for good: the file that failed says why, the others that they stopped with it; the message failed. */
  private uploadStopped(messageId: string, err: unknown): void {
    if (!(err instanceof UploadFailed)) return;
    const { store } = this.d;
    for (const row of store.rowsOf(messageId)) {
      if (!row.upload || row.state === 'uploaded' || row.state === 'failed') continue;
      store.update(row.id, { state: 'failed', error: row.id === err.id ? err.error : attachmentError('transfer_cancelled') });
      this.changed(store.viewOf(row.id));
    }
    this.fail(messageId);
  }

  private fail(messageId: string): void {
    const failed = this.d.history.markFailed(messageId);
    if (failed) this.d.conversations.announce(failed);
  }

  attachment(id: string): AttachmentView | undefined {
    return this.d.store.viewOf(id);
  }

  /** Stops an upload (its message is not sent: failed, to retry) or a download (to start again). */
  async cancel(id: string): Promise<AttachmentView> {
    const row = this.requireRow(id);
    if (row.upload) {
      if (row.state === 'uploaded' || row.state === 'failed') return this.d.store.view(row);
      await this.uploads.cancel(row);
      this.uploadStopped(row.messageId, new UploadFailed(id, attachmentError('transfer_cancelled')));
    } else {
      await this.downloads.cancel(id);
    }
    return this.view(id);
  }

  /** Tries a failed transfer again: a message's failed uploads (the message goes back to 'sending'), or a download. */
  async retry(id: string): Promise<AttachmentView> {
    const row = this.requireRow(id);
    if (!row.upload) {
      if (row.state === 'ready') return this.d.store.view(row);
      void this.downloads.download(id).catch((err: unknown) => this.d.log.warn({ err }, 'a download failed'));
      return this.view(id);
    }
    const message = this.d.history.message(row.messageId);
    if (message?.state === 'failed' && !this.d.store.inOutbox(row.messageId) && this.d.store.resend(row.messageId)) {
      for (const r of this.d.store.rowsOf(row.messageId)) {
        if (r.state === 'failed') this.d.store.update(r.id, { state: 'uploading', error: null });
      }
      const again = this.d.history.message(row.messageId);
      if (again) this.d.conversations.announce(again);
      this.sendInBackground(row.messageId);
    }
    return this.view(id);
  }

  /**
   * Fetches a received file into the profile (resuming a partial one), verifies it against its
   * pointer's digest and keeps it: resolves to its view, 'ready', or 'damaged', 'missing' or
   * 'failed' with the reason.
   */
  download(id: string): Promise<AttachmentView> {
    return this.downloads.download(id);
  }

  /** The plaintext, from a verified ciphertext in the profile; unknown_attachment when there is none. */
  open(id: string, range?: { start: number; end?: number }): OpenedAttachment {
    return this.downloads.open(id, range);
  }

  /** Downloads the file if it is not here yet, then writes its plaintext to `out` (whole, or not at all). */
  save(id: string, out: string): Promise<void> {
    return this.downloads.save(id, out);
  }

  /** Deletes the files of a message (it is being deleted), and their rows. */
  removeMessage(messageId: string): void {
    for (const row of this.d.store.rowsOf(messageId)) this.remove(row);
  }

  /** Deletes the files of a conversation's messages, and their rows. */
  removeConversation(conversationId: string): void {
    for (const id of this.d.store.idsOfConversation(conversationId)) {
      const row = this.d.store.row(id);
      if (row) this.remove(row);
    }
  }

  /**
   * A row goes; its ciphertext goes with the last row of its blob. While a forwarded copy still
   * needs the blob, only this row's download stops: the copy's goes on from the bytes it fetched.
   */
  private remove(row: AttachmentRow): void {
    this.d.store.remove(row.id);
    if (this.d.store.rowsOfBlob(row.blobId).length === 0) this.downloads.removeBlob(row.blobId);
    else this.downloads.stopFor(row);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([this.uploads.close(), this.downloads.close()]);
    this.staging.close();
  }

  private requireRow(id: string): AttachmentRow {
    const row = this.d.store.row(id);
    if (!row) throw new ClientError('unknown_attachment', 'no such attachment');
    return row;
  }

  private view(id: string): AttachmentView {
    const view = this.d.store.viewOf(id);
    if (!view) throw new ClientError('unknown_attachment', 'no such attachment');
    return view;
  }

  private learn(max: number): void {
    this.learned = max;
    if (this.d.history.setting(MAX_BYTES_SETTING) !== String(max)) this.d.history.setSetting(MAX_BYTES_SETTING, String(max));
  }

  /** As changed, the view read only when an event is due (progress comes for every piece of a transfer). */
  private changedId(id: string, progress = false): void {
    // A transfer may report progress once more after close: the history is shut by then.
    if (this.closed) return;
    if (progress && Date.now() - (this.lastProgress.get(id) ?? 0) < PROGRESS_EVERY_MS) return;
    this.changed(this.d.store.viewOf(id), progress);
  }

  /** Emits a file's view; progress at most every PROGRESS_EVERY_MS per file. Returns the view. */
  private changed(view: AttachmentView | undefined, progress = false): AttachmentView | undefined {
    if (!view) return undefined;
    const now = Date.now();
    if (progress && now - (this.lastProgress.get(view.id) ?? 0) < PROGRESS_EVERY_MS) return view;
    if (progress) this.lastProgress.set(view.id, now);
    else this.lastProgress.delete(view.id);
    this.d.emit('attachment', view);
    return view;
  }
}
