// A push's attachment (ntfy's): a card with its name, size and when it expires, opened in the
// browser only when the person clicks, never fetched by the page (it is on the relay or elsewhere).
import { useTranslation } from 'react-i18next';
import type { PushItem } from '../../../shared/ipc.js';
import { formatBytes } from '../../../shared/size.js';
import { httpUrl } from '../../../shared/safe-url.js';
import { FileIcon, labelOf } from './attachments/file-icons.js';

export function PushAttachmentCard({ attachment }: { attachment: NonNullable<PushItem['attachment']> }) {
  const { t, i18n } = useTranslation();
  const url = httpUrl(attachment.url);
  const expired = attachment.expires !== undefined && attachment.expires * 1000 < Date.now();
  return (
    <div className="attachment-file push-attachment">
      <FileIcon label={labelOf(attachment.name, attachment.type ?? '')} size={32} />
      <span className="file-text">
        <span className="file-name" title={attachment.name}>
          {attachment.name}
        </span>
        <span className="file-size">
          {[
            attachment.size !== undefined ? formatBytes(attachment.size) : null,
            attachment.expires !== undefined
              ? t(expired ? 'push.attachmentExpired' : 'push.attachmentExpires', {
                  time: new Date(attachment.expires * 1000).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'short' }),
                })
              : null,
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
      </span>
      {url !== null && !expired && (
        <button type="button" className="small" onClick={() => window.open(url, '_blank', 'noopener')}>
          {t('push.openAttachment')}
        </button>
      )}
    </div>
  );
}
