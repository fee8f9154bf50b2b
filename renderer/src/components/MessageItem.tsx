import { Check, CheckCheck, CircleAlert, Clock3, Forward, Timer, type LucideIcon } from 'lucide-react';
import { memo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, MessageState } from '../../../shared/ipc.js';
import { formatFullTime, formatMessageTime } from '../format.js';
import { EventLine } from './EventLine.js';
import { IdentityChangedLine, UndecryptableLine } from './NoticeLine.js';
import { AttachmentBlock } from './attachments/AttachmentBlock.js';
import { errorMessage } from '../api.js';
import { EditedMark } from './message/EditedMark.js';
import { MessageQuote } from './message/MessageQuote.js';
import { MessageTools } from './message/MessageTools.js';
import { Reactions } from './message/Reactions.js';
import { TimerLine } from './message/TimerLine.js';
import { MessageText } from './message/MessageText.js';
import { timerText } from '../lib/timer-text.js';
import { useRowAttrs } from './list/row-attrs.js';
import type { RunPlace } from '../lib/log-lines.js';

const STATE_ICON: Record<MessageState, LucideIcon> = { sending: Clock3, sent: Check, delivered: CheckCheck, read: CheckCheck, failed: CircleAlert };

interface Props {
  message: ChatMessage;
  /** Group chats: the sender's name shows above what they wrote. */
  showSender: boolean;
  /** The search result the conversation was opened at: marked for a moment. */
  found?: boolean;
  /** Where it stands in a run of one person's messages (see logLines); undefined when alone. */
  run?: RunPlace | undefined;
}

export const MessageItem = memo(function MessageItem({ message, showSender, found = false, run }: Props) {
  const { t, i18n } = useTranslation();
  const [actionError, setActionError] = useState<string | null>(null);
  const row = useRowAttrs();
  if (message.kind === 'event' && message.timerChange) return <TimerLine message={message} change={message.timerChange} />;
  if (message.kind === 'event' && message.event) {
    return <EventLine id={message.id} event={message.event} sentAt={message.sentAt} />;
  }
  if (message.kind === 'undecryptable') return <UndecryptableLine message={message} />;
  if (message.kind === 'identity-changed') return <IdentityChangedLine message={message} />;
  const author = message.outgoing ? t('message.you') : message.sender;
  const stateLabel = t(`message.${message.state}`);
  const StateIcon = STATE_ICON[message.state];
  const deleted = message.deletedAt !== undefined;
  const onError = (error: unknown) => setActionError(errorMessage(error));
  const timerLabel = message.expiresIn === undefined ? null : t('disappearing.messageTimer', { duration: timerText(message.expiresIn, i18n.language) });

  return (
    <li
      {...row}
      className={`message ${message.outgoing ? 'outgoing' : 'incoming'}`}
      data-message-id={message.id}
      data-state={message.outgoing ? message.state : undefined}
      data-found={found || undefined}
      data-deleted={deleted || undefined}
      data-run={run}
      onFocus={() => setActionError(null)}
    >
      <MessageTools message={message} onError={onError} />
      {showSender && !message.outgoing && (run === undefined || run === 'start') ? (
        <p className="message-sender">
          {author}
          <span className="visually-hidden">: </span>
        </p>
      ) : (
        <span className="visually-hidden">{author}: </span>
      )}
      {message.forwarded && !deleted && (
        <p className="message-forwarded">
          <Forward size={14} aria-hidden="true" /> {t('forward.forwarded')}
        </p>
      )}
      {message.replyTo && !deleted && <MessageQuote quote={message.replyTo} conversationId={message.conversationId} />}
      {message.attachments && message.attachments.length > 0 && (
        <AttachmentBlock attachments={message.attachments} conversationId={message.conversationId} />
      )}
      {deleted ? (
        <p className="message-text message-deleted">{t('messageActions.deleted')}</p>
      ) : (
        message.text !== '' && <MessageText text={message.text} conversationId={message.conversationId} />
      )}
      <Reactions message={message} onError={onError} />
      {actionError && (
        <p className="message-action-error" role="alert">
          {actionError}
        </p>
      )}
      <p className="message-meta">
        {message.editedAt !== undefined && !deleted && <EditedMark message={message} />}
        {timerLabel && (
          <span className="message-timer" title={timerLabel}>
            <Timer size={12} aria-hidden="true" />
            <span className="visually-hidden">{timerLabel}</span>
          </span>
        )}
        <time dateTime={new Date(message.sentAt).toISOString()} title={formatFullTime(message.sentAt, i18n.language)}>
          {formatMessageTime(message.sentAt, i18n.language)}
        </time>
        {message.outgoing && (
          <span className={`message-state state-${message.state}`} title={stateLabel}>
            <StateIcon aria-hidden="true" size={14} strokeWidth={2.25} />
            <span className={message.state === 'failed' ? 'state-text' : 'visually-hidden'}>{stateLabel}</span>
          </span>
        )}
      </p>
    </li>
  );
});
