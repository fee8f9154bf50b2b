// The flows of attachments that talk to the host: staging a file the person attached (the host
// encrypts it at once), discarding it, and fetching, cancelling or retrying a transfer.
import { kindOf, type AttachmentView, type MediaMeta } from '../../shared/attachment.js';
import { asFailure, invoke, on } from './api.js';
import { useAttachments, type StagedItem } from './attachment-store.js';

const state = () => useAttachments.getState();
let nextKey = 1;

/** A MIME type the contract accepts: the browser's, else by name, else bytes. */
function typeOf(file: File): string {
  const type = file.type.toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) && type.length <= 127 ? type : 'application/octet-stream';
}

/** A name the contract accepts: no folders or control characters. */
function nameOf(file: File): string {
  const name = [...file.name].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== '/' && c !== '\\').join('').slice(0, 255);
  return name === '' || name === '.' || name === '..' ? 'file' : name;
}

/** Width and height of an image, and a small preview for the composer's chip (decoded here, never uploaded). */
async function measureImage(file: File): Promise<{ meta: MediaMeta; preview: string | null }> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 96 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const meta = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return { meta, preview: canvas.toDataURL('image/jpeg', 0.7) };
  } catch {
    return { meta: {}, preview: null };
  }
}

/** Width, height and length of a video, read by the page's own player from its metadata (never uploaded). */
async function measureVideo(file: File): Promise<MediaMeta> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.preload = 'metadata';
  video.muted = true;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no metadata')), 10_000);
      video.onloadedmetadata = () => {
        clearTimeout(timer);
        resolve();
      };
      video.onerror = () => {
        clearTimeout(timer);
        reject(new Error('not a video this browser reads'));
      };
      video.src = url;
    });
    const meta: MediaMeta = {};
    if (video.videoWidth > 0 && video.videoHeight > 0) Object.assign(meta, { width: video.videoWidth, height: video.videoHeight });
    // A recording without a length in its header (MediaRecorder's webm) says Infinity: leave it out.
    if (Number.isFinite(video.duration) && video.duration <= 24 * 3600) meta.durationMs = Math.round(video.duration * 1000);
    return meta;
  } catch {
    return {};
  } finally {
    video.removeAttribute('src');
    video.load();
    URL.revokeObjectURL(url);
  }
}

function update(conversationId: string, key: string, patch: Partial<StagedItem>): void {
  state().setStaging(conversationId, (items) => items.map((item) => (item.key === key ? { ...item, ...patch } : item)));
}

async function stage(conversationId: string, item: StagedItem): Promise<void> {
  const type = typeOf(item.file);
  const kind = kindOf(type);
  const { meta, preview } =
    kind === 'image' ? await measureImage(item.file) : kind === 'video' ? { meta: await measureVideo(item.file), preview: null } : { meta: {}, preview: null };
  update(conversationId, item.key, { preview, staged: null, error: null });
  try {
    const staged = await window.warbler.stageAttachment(item.file, { name: nameOf(item.file), type, asFile: item.asFile, meta });
    const still = state().staging[conversationId]?.find((i) => i.key === item.key);
    // Removed (or re-staged as a file) while the host worked on it: this one is not wanted.
    if (!still || still.asFile !== item.asFile) {
      void discard(staged.stagedId);
      return;
    }
    update(conversationId, item.key, { staged });
  } catch (error) {
    update(conversationId, item.key, { error: asFailure(error) });
  }
}

/** Adds files to a conversation's composer and stages each. */
export function attachFiles(conversationId: string, files: readonly File[]): void {
  const items: StagedItem[] = files.map((file) => ({ key: `f${nextKey++}`, file, asFile: false, preview: null, staged: null, error: null }));
  state().setStaging(conversationId, (current) => [...current, ...items]);
  for (const item of items) void stage(conversationId, item);
}

/** Sends an image as a file after all (or re-encoded again): the host stages it anew. */
export function setAsFile(conversationId: string, key: string, asFile: boolean): void {
  const item = state().staging[conversationId]?.find((i) => i.key === key);
  if (!item || item.asFile === asFile) return;
  if (item.staged) void discard(item.staged.stagedId);
  const next = { ...item, asFile, staged: null, error: null };
  update(conversationId, key, next);
  void stage(conversationId, next);
}

function discard(stagedId: string): Promise<void> {
  return invoke('attachments:discard', { stagedId }).then(
    () => undefined,
    (err: unknown) => console.warn('discarding a staged file failed', err),
  );
}

export function removeStaged(conversationId: string, key: string): void {
  const item = state().staging[conversationId]?.find((i) => i.key === key);
  if (item?.staged) void discard(item.staged.stagedId);
  state().setStaging(conversationId, (items) => items.filter((i) => i.key !== key));
}

/** Empties the composer's files once they went out with a message (their ids now belong to it). */
export function clearStaged(conversationId: string): void {
  state().setStaging(conversationId, () => []);
}

async function transfer(channel: 'attachments:download' | 'attachments:cancel' | 'attachments:retry', id: string): Promise<void> {
  try {
    state().putView(await invoke(channel, { id }));
  } catch (error) {
    console.warn(`${channel} failed`, error);
  }
}

export const downloadAttachment = (id: string) => transfer('attachments:download', id);
export const cancelTransfer = (id: string) => transfer('attachments:cancel', id);
export const retryTransfer = (id: string) => transfer('attachments:retry', id);

/** Fetches a file that is not here yet: on the way, here, or refused (then the person retries). */
export function ensureDownloaded(view: AttachmentView): void {
  if (view.state === 'remote') void downloadAttachment(view.id);
}

export function subscribeAttachments(): () => void {
  return on('attachment', (view) => state().putView(view));
}
