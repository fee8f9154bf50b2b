import { useTranslation } from 'react-i18next';
import type { ChatMessage } from '../../../../shared/ipc.js';
import { formatFullTime } from '../../format.js';
import { timerText } from '../../lib/timer-text.js';
import { useStore } from '../../store.js';
import { useRowAttrs } from '../list/row-attrs.js';

/** "alice set disappearing messages to 1 hour", centered on a line of its own. */
export function TimerLine({ message, change }: { message: ChatMessage; change: NonNullable<ChatMessage['timerChange']> }) {
  const { t, i18n } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  const row = useRowAttrs();
  const actor = change.actor === me ? t('events.you') : change.actor;
  const text =
    change.expiresIn === null ? t('disappearing.turnedOff', { actor }) : t('disappearing.set', { actor, duration: timerText(change.expiresIn, i18n.language) });
  return (
    <li {...row} className="message-event" data-message-id={message.id} data-event="timer" title={formatFullTime(message.sentAt, i18n.language)}>
      <span aria-hidden="true">⏱ </span>
      {text}
    </li>
  );
}
