import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, MessageVersion } from '../../../../shared/ipc.js';
import { formatFullTime } from '../../format.js';
import { versionsOf } from '../../message-actions.js';

/** "edited", in the message's corner: a click shows the texts it had before, as kept on this device. */
export function EditedMark({ message }: { message: ChatMessage }) {
  const { t, i18n } = useTranslation();
  const [versions, setVersions] = useState<MessageVersion[] | null>(null);
  const toggle = () => {
    if (versions) setVersions(null);
    else versionsOf(message).then(setVersions, () => setVersions([]));
  };
  return (
    <>
      <button type="button" className="edited-mark" aria-expanded={versions !== null} title={t('messageActions.versions')} onClick={toggle}>
        {t('messageActions.edited')}
      </button>
      {versions && (
        <ol className="message-versions" aria-label={t('messageActions.versions')}>
          {versions.length === 0 && <li>{t('messageActions.noVersions')}</li>}
          {versions.map((v) => (
            <li key={v.replacedAt}>
              <span className="message-version-text">{v.text}</span>
              <time dateTime={new Date(v.replacedAt).toISOString()}>{formatFullTime(v.replacedAt, i18n.language)}</time>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
