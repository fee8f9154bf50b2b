import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, MessageState } from '../../../shared/ipc.js';
import { formatFullTime, formatMessageTime } from '../format.js';

const STATE_ICON: Record<MessageState, string> = { sending: '◷', sent: '✓', delivered: '✓✓', failed: '!' };

export const MessageItem = memo(function MessageItem({ message }: { message: ChatMessage }) {
  const { t, i18n } = useTranslation();
  const author = message.outgoing ? t('message.you') : message.sender;
  const stateLabel = t(`message.${message.state}`);

  return (
    <li
      className={`message ${message.outgoing ? 'outgoing' : 'incoming'}`}
      data-message-id={message.id}
      data-state={message.outgoing ? message.state : undefined}
    >
      <span className="visually-hidden">{author}: </span>
      <p className="message-text">{message.text}</p>
      <p className="message-meta">
        <time dateTime={new Date(message.sentAt).toISOString()} title={formatFullTime(message.sentAt, i18n.language)}>
          {formatMessageTime(message.sentAt, i18n.language)}
        </time>
        {message.outgoing && (
          <span className={`message-state state-${message.state}`} title={stateLabel}>
            <span aria-hidden="true">{STATE_ICON[message.state]}</span>
            <span className={message.state === 'failed' ? 'state-text' : 'visually-hidden'}>{stateLabel}</span>
          </span>
        )}
      </p>
    </li>
  );
});
