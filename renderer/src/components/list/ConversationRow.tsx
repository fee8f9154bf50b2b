import { Ban, BellOff, Pin } from 'lucide-react';
import { useStore } from '../../store.js';
import { isNoteToSelf } from '../../lib/conversation-title.js';
import { useConversationTitle } from '../../hooks/useConversationTitle.js';
import { useId, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../../shared/ipc.js';
import { selectConversation } from '../../actions.js';
import { formatListTime } from '../../lib/list-time.js';
import { Avatar } from '../Avatar.js';
import { PresenceDot } from '../Presence.js';
import { useRowPreview } from './row-preview.js';

interface RowProps {
  ref: Ref<HTMLButtonElement>;
  conversation: Conversation;
  selected: boolean;
  /** The one row the Tab key reaches (the list moves between rows with the arrows). */
  tabStop: boolean;
  /** The clock the times are worded against ("Yesterday" moves on at midnight). */
  now: Date;
  onFocus: () => void;
}

/**
 * One conversation. The button's own text is its name, read first ("bob 2 unread Muted 10:42"): the
 * name, then what needs attention, then when. The preview (the person's text) is its description,
 * so message text never becomes a button's name; it and the avatar are the row's, beside the button
 * (a name that left out text shown inside the button would not be what a voice user says to click).
 */
export function ConversationRow({ ref, conversation, selected, tabStop, now, onFocus }: RowProps) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const preview = useRowPreview(conversation);
  const muted = (conversation.mutedUntil ?? 0) > now.getTime();
  const at = conversation.lastMessage?.at ?? null;
  const time = at === null ? null : formatListTime(at, i18n.language, now);
  const unread = conversation.unread;
  const title = useConversationTitle()(conversation);
  const me = useStore((s) => s.profile?.username);
  const notes = isNoteToSelf(conversation, me);

  return (
    <li className="conversation-row" data-selected={selected || undefined} data-muted={muted || undefined}>
      <span className="conversation-avatar" aria-hidden="true">
        <Avatar name={title} size={44} notes={notes} />
        {conversation.kind === 'direct' && !notes && <PresenceDot username={conversation.id} />}
      </span>
      <button
        ref={ref}
        type="button"
        className="conversation-item"
        tabIndex={tabStop ? 0 : -1}
        aria-current={selected ? 'true' : undefined}
        aria-describedby={`${id}-preview`}
        data-unread={unread > 0 || conversation.markedUnread || undefined}
        onFocus={onFocus}
        onClick={() => selectConversation(conversation.id)}
      >
        <span className="conversation-title">{title}</span>
        {conversation.request && !conversation.blocked && <span className="request-mark">{t('people.request')}</span>}
        <span className="conversation-marks">
          {unread > 0 && (
            <span className="unread-badge" role="img" aria-label={t('conversations.unread', { count: unread })}>
              {unread > 99 ? '99+' : unread}
            </span>
          )}
          {unread === 0 && conversation.markedUnread && <span className="unread-badge marked-unread" role="img" aria-label={t('conversationState.markedUnread')} />}
          {conversation.pinnedAt !== null && <Mark icon={Pin} label={t('conversationState.pinned')} kind="pinned" />}
          {conversation.blocked && <Mark icon={Ban} label={t('people.blocked')} kind="blocked" />}
          {muted && <Mark icon={BellOff} label={t('conversationState.muted')} kind="muted" />}
        </span>
        {time !== null && <span className="visually-hidden">{time}</span>}
      </button>
      {at !== null && (
        <time className="conversation-time" aria-hidden="true" dateTime={new Date(at).toISOString()}>
          {time}
        </time>
      )}
      <span id={`${id}-preview`} className="conversation-preview" data-kind={preview.kind}>
        {preview.text}
      </span>
    </li>
  );
}

type IconType = typeof Pin;

/** A state the row is in, as an icon with its word for name (and tooltip). */
function Mark({ icon: Icon, label, kind }: { icon: IconType; label: string; kind: string }) {
  return (
    <span className="conversation-mark" data-mark={kind} role="img" aria-label={label} title={label}>
      <Icon size={15} strokeWidth={2.2} aria-hidden="true" />
    </span>
  );
}
