import { TriangleAlert } from 'lucide-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../shared/ipc.js';
import { showSafetyNumber } from '../actions.js';
import { formatFullTime } from '../format.js';
import { useRowAttrs } from './list/row-attrs.js';

/**
 * A message that could not be decrypted yet: a quiet placeholder in its place, replaced by the
 * message itself (same id) once the sender's device sends it again.
 */
export function UndecryptableLine({ message }: { message: ChatMessage }) {
  const { t, i18n } = useTranslation();
  const row = useRowAttrs();
  return (
    <li
      {...row}
      className="message-notice message-undecryptable"
      data-message-id={message.id}
      data-kind={message.kind}
      title={formatFullTime(message.sentAt, i18n.language)}
    >
      {message.outgoing ? t('notices.undecryptableOwn') : t('notices.undecryptable', { name: message.sender })}
    </li>
  );
}

/**
 * The sender's identity key changed. Not an alert (history is full of them, and the log already
 * announces a new one), but it stands out and leads straight to the number to compare.
 */
export function IdentityChangedLine({ message }: { message: ChatMessage }) {
  const { t, i18n } = useTranslation();
  const row = useRowAttrs();
  const id = useId();
  return (
    <li
      {...row}
      className="message-notice message-identity-changed"
      data-message-id={message.id}
      data-kind={message.kind}
      title={formatFullTime(message.sentAt, i18n.language)}
    >
      <TriangleAlert className="notice-icon" size={16} aria-hidden="true" />
      <span id={`${id}-text`}>{t('notices.identityChanged', { name: message.sender })}</span>
      <button
        type="button"
        className="small"
        aria-describedby={`${id}-text`}
        onClick={() => {
          showSafetyNumber(message.sender).catch((error: unknown) => console.warn('showing the safety number failed', error));
        }}
      >
        {t('notices.viewSafetyNumber')}
      </button>
    </li>
  );
}
