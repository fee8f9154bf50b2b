// An image attached to a push, shown as a preview. The page never loads it from the relay itself
// (CSP img-src 'self'): the host serves the copy the core fetched (/push-attachments/<push id>,
// core/push-attachment-files.ts). A click shows it large in a dialog; "Open in browser" opens the
// relay's URL in a tab of its own, only on that click. Anything the host cannot show (expired before
// it was fetched, the relay unreachable, not an image after all) falls back to the file card.
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PushItem } from '../../../shared/ipc.js';
import { PUSH_ATTACHMENTS_PATH } from '../../../shared/push.js';
import { formatBytes } from '../../../shared/size.js';
import { httpUrl } from '../../../shared/safe-url.js';
import { PushAttachmentCard } from './PushAttachmentCard.js';

type Attachment = NonNullable<PushItem['attachment']>;

export function PushImage({ pushId, attachment }: { pushId: string; attachment: Attachment }) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  if (failed) return <PushAttachmentCard attachment={attachment} />;
  const src = `${PUSH_ATTACHMENTS_PATH}${encodeURIComponent(pushId)}`;
  const url = httpUrl(attachment.url);
  const close = () => dialog.current?.close();
  return (
    <figure className="push-image">
      <button
        type="button"
        className={`push-image-open${loaded ? ' loaded' : ''}`}
        aria-label={t('push.openImage', { name: attachment.name })}
        onClick={() => dialog.current?.showModal()}
      >
        <img src={src} alt={attachment.name} decoding="async" onLoad={() => setLoaded(true)} onError={() => setFailed(true)} />
      </button>
      <figcaption className="push-image-caption">
        <span className="file-name" title={attachment.name}>
          {attachment.name}
        </span>
        {attachment.size !== undefined && <span className="file-size">{formatBytes(attachment.size)}</span>}
      </figcaption>
      {/* A native modal dialog: it keeps focus inside, Escape closes it and focus returns to the preview. */}
      <dialog
        ref={dialog}
        className="push-image-viewer"
        aria-label={t('push.imageViewer', { name: attachment.name })}
        onClick={(event) => event.target === event.currentTarget && close()}
        // Escape closes this dialog (the browser does that) and only it, not the notification center around it.
        onKeyDown={(event) => event.key === 'Escape' && event.stopPropagation()}
      >
        <div className="push-image-viewer-bar">
          <span className="push-image-viewer-title">{attachment.name}</span>
          {url !== null && (
            <button type="button" onClick={() => window.open(url, '_blank', 'noopener')}>
              {t('push.openInBrowser')}
            </button>
          )}
          <button type="button" onClick={close} autoFocus>
            {t('push.closeImage')}
          </button>
        </div>
        <img className="push-image-full" src={src} alt={attachment.name} />
      </dialog>
    </figure>
  );
}
