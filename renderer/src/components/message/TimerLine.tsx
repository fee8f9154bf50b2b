import { Timer } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import type { ChatMessage, TimerChange } from '../../../../shared/ipc.js';
import { formatFullTime } from '../../format.js';
import { timerChangeText } from '../../lib/event-text.js';
import { useStore } from '../../store.js';
import { useRowAttrs } from '../list/row-attrs.js';

/** "alice set disappearing messages to 1 hour", centered on a line of its own. */
export function TimerLine({ message, change }: { message: ChatMessage; change: TimerChange }) {
  const { i18n } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  const row = useRowAttrs();
  return (
    <li {...row} className="message-event" data-message-id={message.id} data-event="timer" title={formatFullTime(message.sentAt, i18n.language)}>
      <Timer size={13} aria-hidden="true" />{' '}
      {timerChangeText(i18n, change, me)}
    </li>
  );
}
