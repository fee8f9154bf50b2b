// An image or GIF in the conversation, at its own aspect ratio: its ThumbHash until the file is here
// (fetched when it scrolls into view), then the image itself; a click shows it in the viewer.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentView } from '../../../../shared/attachment.js';
import { ensureDownloaded } from '../../attachment-actions.js';
import { useAttachments } from '../../attachment-store.js';
import { placeholderOf } from '../../lib/thumbhash.js';

/** States whose ciphertext is in the profile: the host can serve the plaintext. */
export const SHOWABLE: ReadonlySet<AttachmentView['state']> = new Set(['ready', 'uploaded', 'uploading']);
const MAX_WIDTH = 320;
const MAX_HEIGHT = 360;

/** Box of an image scaled to fit, keeping its aspect ratio; a square when its size is unknown. */
export function boxOf(view: Pick<AttachmentView, 'width' | 'height'>): { width: number; height: number } {
  const width = view.width ?? 240;
  const height = view.height ?? 240;
  const scale = Math.min(1, MAX_WIDTH / width, MAX_HEIGHT / height);
  return { width: Math.max(48, Math.round(width * scale)), height: Math.max(48, Math.round(height * scale)) };
}

/** Runs `fetch` once the element is (nearly) on screen: files are fetched when shown, not before. */
export function useWhenVisible(fetch: () => void): React.RefObject<HTMLElement | null> {
  const ref = useRef<HTMLElement | null>(null);
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    if (typeof IntersectionObserver === 'undefined') {
      fetchRef.current();
      return;
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) {
          observer.disconnect();
          fetchRef.current();
        }
      },
      { rootMargin: '200px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return ref;
}

export function ImageAttachment({ view, conversationId }: { view: AttachmentView; conversationId: string }) {
  const { t } = useTranslation();
  const [loaded, setLoaded] = useState(false);
  const ref = useWhenVisible(() => ensureDownloaded(view));
  const box = boxOf(view);
  const placeholder = placeholderOf(view.thumbhash);
  const showable = SHOWABLE.has(view.state);
  return (
    <button
      type="button"
      ref={ref as React.RefObject<HTMLButtonElement>}
      className="attachment-image"
      // Narrower than its box (a narrow window), it keeps its aspect ratio rather than being cropped.
      style={{ width: box.width, aspectRatio: `${box.width} / ${box.height}`, backgroundImage: placeholder && !loaded ? `url("${placeholder}")` : undefined }}
      aria-label={t('attachment.openImage', { name: view.name })}
      disabled={!showable}
      onClick={() => useAttachments.getState().openViewer(conversationId, view.id)}
    >
      {showable && (
        <img
          src={window.warbler.attachmentUrl(view.id)}
          alt=""
          width={box.width}
          height={box.height}
          className={loaded ? 'loaded' : undefined}
          onLoad={() => setLoaded(true)}
        />
      )}
    </button>
  );
}
