// The viewer: one of the conversation's images large, zoom, previous/next through the images the
// conversation holds, Save, and Escape (or the close button) returns focus where it was.
import { Minus, Plus } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentView } from '../../../../shared/attachment.js';
import { useAttachments } from '../../attachment-store.js';
import { useStore } from '../../store.js';
import { SHOWABLE } from './ImageAttachment.js';

const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3, 4];

export function ImageViewer() {
  const viewer = useAttachments((s) => s.viewer);
  if (!viewer) return null;
  return <Viewer conversationId={viewer.conversationId} id={viewer.id} />;
}

function Viewer({ conversationId, id }: { conversationId: string; id: string }) {
  const { t } = useTranslation();
  const messages = useStore((s) => s.messages[conversationId]);
  const views = useAttachments((s) => s.views);
  const images = useMemo(
    () =>
      (messages ?? [])
        .flatMap((m) => m.attachments ?? [])
        .map((a) => views[a.id] ?? a)
        .filter((a): a is AttachmentView => a.kind === 'image' && SHOWABLE.has(a.state)),
    [messages, views],
  );
  const [zoom, setZoom] = useState(2);
  const dialog = useRef<HTMLDivElement>(null);
  const returnTo = useRef<Element | null>(null);
  const index = images.findIndex((a) => a.id === id);
  const image = images[index];
  const close = () => useAttachments.getState().closeViewer();
  const go = (step: number) => {
    const next = images[index + step];
    if (next) {
      setZoom(2);
      useAttachments.getState().openViewer(conversationId, next.id);
    }
  };

  useEffect(() => {
    returnTo.current = document.activeElement;
    dialog.current?.focus();
    return () => {
      if (returnTo.current instanceof HTMLElement) returnTo.current.focus();
    };
  }, []);

  // Keys work wherever focus is while the viewer is open (a button that went disabled drops it to the page).
  const keys = useRef<(event: globalThis.KeyboardEvent) => void>(() => {});
  keys.current = (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      close();
    } else if (event.key === 'ArrowLeft') go(-1);
    else if (event.key === 'ArrowRight') go(1);
    else if (event.key === '+' || event.key === '=') setZoom((z) => Math.min(ZOOMS.length - 1, z + 1));
    else if (event.key === '-') setZoom((z) => Math.max(0, z - 1));
  };
  useEffect(() => {
    const listener = (event: globalThis.KeyboardEvent) => keys.current(event);
    window.addEventListener('keydown', listener, true);
    return () => window.removeEventListener('keydown', listener, true);
  }, []);
  useEffect(() => {
    if (!dialog.current?.contains(document.activeElement)) dialog.current?.focus();
  }, [id]);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Tab') {
      // Focus stays in the dialog while it is open.
      const focusable = [...(dialog.current?.querySelectorAll<HTMLElement>('button:not([disabled]), a[href]') ?? [])];
      if (focusable.length === 0) return;
      const first = focusable[0]!;
      const last = focusable[focusable.length - 1]!;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  }

  if (!image) return null;
  const scale = ZOOMS[zoom]!;
  return (
    <div className="viewer-backdrop" onClick={(e) => e.target === e.currentTarget && close()}>
      <div
        ref={dialog}
        className="viewer"
        role="dialog"
        aria-modal="true"
        aria-label={t('attachment.viewer', { name: image.name })}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <div className="viewer-bar">
          <span className="viewer-title">
            {image.name}
            <span className="viewer-count">{t('attachment.position', { n: index + 1, total: images.length })}</span>
          </span>
          <button type="button" onClick={() => setZoom((z) => Math.max(0, z - 1))} disabled={zoom === 0} aria-label={t('attachment.zoomOut')}>
            <Minus size={16} aria-hidden="true" />
          </button>
          <span className="viewer-zoom">{Math.round(scale * 100)}%</span>
          <button type="button" onClick={() => setZoom((z) => Math.min(ZOOMS.length - 1, z + 1))} disabled={zoom === ZOOMS.length - 1} aria-label={t('attachment.zoomIn')}>
            <Plus size={16} aria-hidden="true" />
          </button>
          <a className="button" href={window.warbler.attachmentUrl(image.id, { download: true })} download={image.name}>
            {t('attachment.save')}
          </a>
          <button type="button" onClick={close}>
            {t('attachment.close')}
          </button>
        </div>
        <div className="viewer-stage">
          <button type="button" className="viewer-nav" onClick={() => go(-1)} disabled={index <= 0} aria-label={t('attachment.previous')}>
            ‹
          </button>
          <div className="viewer-image">
            <img
              src={window.warbler.attachmentUrl(image.id)}
              alt={image.name}
              style={{ transform: `scale(${scale})` }}
            />
          </div>
          <button type="button" className="viewer-nav" onClick={() => go(1)} disabled={index >= images.length - 1} aria-label={t('attachment.next')}>
            ›
          </button>
        </div>
      </div>
    </div>
  );
}
