import { useTranslation } from 'react-i18next';
import { useRowAttrs } from './row-attrs.js';

/** Over the messages that were unread when the conversation was opened: the log opens here. */
export function UnreadLine() {
  const { t } = useTranslation();
  const row = useRowAttrs();
  return (
    <li {...row} className="unread-line">
      <span>{t('conversation.unreadLine')}</span>
    </li>
  );
}
