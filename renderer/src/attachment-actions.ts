// The flows of attachments that talk to the host: staging a file the person attached (the host
// encrypts it at once), discarding it, and fetching, cancelling or retrying a transfer.
import { rgbaToThumbHash } from 'thumbhash';
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
    const meta = { width: bitmap.width, height: bitmap.height };
    const preview = drawSmall(bitmap, bitmap.width, bitmap.height, 96)?.toDataURL('image/jpeg', 0.7) ?? null;
    bitmap.close();
    return { meta, preview };
  } catch {
    return { meta: {}, preview: null };
  }
}

/** A frame of a video (or an image) drawn at most `max` pixels across, for a preview or a ThumbHash. */
function drawSmall(source: CanvasImageSource, width: number, height: number, max: number): HTMLCanvasElement | null {
  const scale = Math.min(1, max / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** ThumbHash (base64, as the core makes one of an image) of the frame a video shows now. */
function thumbhashOfFrame(video: HTMLVideoElement): string | undefined {
  // ThumbHash takes at most 100 × 100 pixels.
  const canvas = drawSmall(video, video.videoWidth, video.videoHeight, 100);
  const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
  if (!canvas || !data) return undefined;
  let binary = '';
  for (const byte of rgbaToThumbHash(canvas.width, canvas.height, data)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Resolves once `event` fires on the element (or rejects on `error`, or after `ms`). */
function once(element: HTMLMediaElement, event: 'loadedmetadata' | 'loadeddata' | 'durationchange' | 'seeked', ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`no ${event}`)), ms);
    const onEvent = () => done();
    const onError = () => done(new Error('not a video this browser reads'));
    function done(error?: Error) {
      clearTimeout(timer);
      element.removeEventListener(event, onEvent);
      element.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve();
    }
    element.addEventListener(event, onEvent);
    element.addEventListener('error', onError);
  });
}

/**
 * Width, height and length of a video, read by the page's own player from its metadata, and its
 * first frame as a ThumbHash (the recipient's placeholder until the video is fetched) and as the
 * composer's preview. Nothing of this leaves the page but the numbers and the hash.
 */
async function measureVideo(file: File): Promise<{ meta: MediaMeta; preview: string | null }> {
  const url = URL.createObjectURL(file);
  const video = document.createElement('video');
  video.preload = 'auto';
  video.muted = true;
  try {
    const metadata = once(video, 'loadedmetadata', 10_000);
    video.src = url;
    await metadata;
    const meta: MediaMeta = {};
    if (video.videoWidth > 0 && video.videoHeight > 0) Object.assign(meta, { width: video.videoWidth, height: video.videoHeight });
    if (video.duration === Infinity) {
      // A recording without its length in the header (MediaRecorder's webm): seeking past the end
      // makes the player read to the end and learn it; then back to the first frame.
      try {
        const learned = Promise.all([once(video, 'durationchange', 3_000), once(video, 'seeked', 3_000)]);
        video.currentTime = Number.MAX_SAFE_INTEGER;
        await learned;
        const back = once(video, 'seeked', 3_000);
        video.currentTime = 0;
        await back;
      } catch {
        // Still unknown: the video goes without its length.
      }
    }
    if (Number.isFinite(video.duration) && video.duration <= 24 * 3600) meta.durationMs = Math.round(video.duration * 1000);
    let preview: string | null = null;
    if (meta.width !== undefined) {
      // The first frame: a video without one this browser decodes goes without a placeholder.
      try {
        if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await once(video, 'loadeddata', 5_000);
        const thumbhash = thumbhashOfFrame(video);
        if (thumbhash) meta.thumbhash = thumbhash;
        preview = drawSmall(video, video.videoWidth, video.videoHeight, 96)?.toDataURL('image/jpeg', 0.7) ?? null;
      } catch {
        // No frame: the numbers still help the recipient lay the video out.
      }
    }
    return { meta, preview };
  } catch {
    return { meta: {}, preview: null };
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
    kind === 'image' ? await measureImage(item.file) : kind === 'video' ? await measureVideo(item.file) : { meta: {}, preview: null };
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

/**
 * Puts files back in the composer when their message was refused before it was written (the host
 * keeps them staged then), ahead of any attached meanwhile.
 */
export function restoreStaged(conversationId: string, items: readonly StagedItem[]): void {
  state().setStaging(conversationId, (current) => [...items, ...current.filter((c) => !items.some((i) => i.key === c.key))]);
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
