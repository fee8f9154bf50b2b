import { useTranslation } from 'react-i18next';
import type { GroupEvent } from '../../../shared/ipc.js';
import { formatFullTime } from '../format.js';
import { groupEventText } from '../lib/event-text.js';
import { useStore } from '../store.js';
import { useRowAttrs } from './list/row-attrs.js';

/** A membership change, centered on a line of its own: "alice added carol and dave". */
export function EventLine({ id, event, sentAt }: { id: string; event: GroupEvent; sentAt: number }) {
  const { i18n } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  const row = useRowAttrs();
  return (
    <li {...row} className="message-event" data-message-id={id} data-event={event.action} title={formatFullTime(sentAt, i18n.language)}>
      {groupEventText(i18n, event, me)}
    </li>
  );
}
