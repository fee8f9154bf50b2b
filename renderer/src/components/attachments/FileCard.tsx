// Any other file: an icon by its type, its name and size, Open (in a tab of its own, sandboxed by the
// host) and Save as (a download under its name). Fetched from the relay only when asked for.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AttachmentView } from '../../../../shared/attachment.js';
import { formatBytes } from '../../../../shared/size.js';
import { downloadAttachment } from '../../attachment-actions.js';
import { SHOWABLE } from './ImageAttachment.js';
import { FileIcon, labelOf } from './file-icons.js';

export function FileCard({ view }: { view: AttachmentView }) {
  const { t } = useTranslation();
  const here = SHOWABLE.has(view.state);
  // "Save as" on a file not fetched yet: fetch it, then save it as soon as it is here.
  const [saveWhenHere, setSaveWhenHere] = useState(false);
  const saveLink = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (!saveWhenHere) return;
    if (here) {
      setSaveWhenHere(false);
      saveLink.current?.click();
    } else if (view.state !== 'downloading' && view.state !== 'remote') {
      setSaveWhenHere(false); // it failed: TransferStatus says why, with Retry
    }
  }, [saveWhenHere, here, view.state]);
  const fetchThen = (save: boolean) => {
    setSaveWhenHere(save);
    if (view.state !== 'downloading') void downloadAttachment(view.id);
  };
  const busy = view.state === 'downloading';
  return (
    <div className="attachment-file">
      <FileIcon label={labelOf(view.name, view.type)} />
      <span className="file-text">
        <span className="file-name" title={view.name}>
          {view.name}
        </span>
        <span className="file-size">{formatBytes(view.size)}</span>
      </span>
      <span className="file-actions">
        {here ? (
          <a href={window.warbler.attachmentUrl(view.id)} target="_blank" rel="noopener noreferrer">
            {t('attachment.open')}
          </a>
        ) : (
          // A tab opened after the file arrives would be blocked as a pop-up: fetch now, Open becomes a link.
          <button type="button" className="link-button" disabled={busy} onClick={() => fetchThen(false)}>
            {t('attachment.open')}
          </button>
        )}
        <a
          ref={saveLink}
          href={here ? window.warbler.attachmentUrl(view.id, { download: true }) : undefined}
          download={view.name}
          hidden={!here}
        >
          {t('attachment.saveAs')}
        </a>
        {!here && (
          <button type="button" className="link-button" disabled={busy && saveWhenHere} onClick={() => fetchThen(true)}>
            {t('attachment.saveAs')}
          </button>
        )}
      </span>
    </div>
  );
}
