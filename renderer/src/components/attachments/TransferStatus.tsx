// Where a file's transfer stands, under the file: a progress bar with Cancel while it moves; the
// reason (by its code) with Retry when it failed, was damaged or is gone.
import { useTranslation } from 'react-i18next';
import type { AttachmentView } from '../../../../shared/attachment.js';
import { formatBytes } from '../../../../shared/size.js';
import { errorMessage } from '../../api.js';
import { cancelTransfer, retryTransfer } from '../../attachment-actions.js';

export function TransferStatus({ view }: { view: AttachmentView }) {
  const { t } = useTranslation();
  if (view.state === 'uploading' || view.state === 'downloading') {
    const percent = Math.min(100, Math.round((view.transferred / view.cipherSize) * 100));
    const label = t(view.state === 'uploading' ? 'attachment.uploading' : 'attachment.downloading', { name: view.name });
    return (
      <div className="transfer">
        <progress max={100} value={percent} aria-label={label} />
        <span className="transfer-amount">
          {formatBytes(Math.min(view.transferred, view.cipherSize))} / {formatBytes(view.cipherSize)}
        </span>
        <button type="button" className="link-button" onClick={() => void cancelTransfer(view.id)}>
          {t('attachment.cancel')}
        </button>
      </div>
    );
  }
  if (view.state === 'failed' || view.state === 'damaged' || view.state === 'missing') {
    const reason = view.error ? errorMessage(view.error) : t(`attachment.${view.state}`);
    return (
      <div className="transfer transfer-failed" role="status">
        <span>{reason}</span>
        {view.state !== 'missing' && (
          <button type="button" className="link-button" onClick={() => void retryTransfer(view.id)}>
            {t('attachment.retry')}
          </button>
        )}
      </div>
    );
  }
  return null;
}
