import { useTranslation } from 'react-i18next';
import type { GroupEvent } from '../../../shared/ipc.js';
import { formatFullTime } from '../format.js';
import { formatNameList } from '../lib/usernames.js';
import { useStore } from '../store.js';
import { useRowAttrs } from './list/row-attrs.js';

/** A membership change, centered on a line of its own: "alice added carol and dave". */
export function EventLine({ id, event, sentAt }: { id: string; event: GroupEvent; sentAt: number }) {
  const { t, i18n } = useTranslation();
  const me = useStore((s) => s.profile?.username);
  const row = useRowAttrs();
  const actor = event.actor === me ? t('events.you') : event.actor;
  const subjects = formatNameList(
    event.subjects.map((u) => (u === me ? t('events.youObject') : u)),
    i18n.language,
  );
  const vars = { actor, subjects, name: event.name };
  const text = (() => {
    switch (event.action) {
      case 'create':
        return t('events.create', vars);
      case 'add':
        return t('events.add', vars);
      case 'remove':
        return t('events.remove', vars);
      case 'leave':
        return t('events.leave', vars);
      case 'rename':
        return t('events.rename', vars);
    }
  })();
  return (
    <li {...row} className="message-event" data-message-id={id} data-event={event.action} title={formatFullTime(sentAt, i18n.language)}>
      {text}
    </li>
  );
}
