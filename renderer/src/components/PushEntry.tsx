import { memo, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PushItem } from '../../../shared/ipc.js';
import { formatFullTime } from '../format.js';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { priorityLevel } from '../lib/push-priority.js';
import { PriorityMark } from './PriorityMark.js';
import { splitTags } from '../lib/push-tags.js';
import { formatRelativeTime } from '../lib/relative-time.js';
import { httpUrl } from '../../../shared/safe-url.js';
import { deletePush, markPushesRead } from '../push-actions.js';
import { FormError } from './FormError.js';
import { Markdown } from './Markdown.js';
import { PushAttachmentCard } from './PushAttachmentCard.js';
import { PushImage } from './PushImage.js';
import { isPushPreview } from '../../../shared/push.js';

interface Props {
  item: PushItem;
  /** Unix seconds, for the relative time. */
  now: number;
  /** It was deleted: focus goes elsewhere, its row (with the button that had focus) is going. */
  onDeleted: (id: string) => void;
}

/** One push in the notification center. Everything in it came from whoever published it: text only. */
export const PushEntry = memo(function PushEntry({ item, now, onDeleted }: Props) {
  const { t, i18n } = useTranslation();
  const { pending, error, run } = useAsyncAction();
  const row = useRef<HTMLLIElement>(null);
  const id = useId();
  const level = priorityLevel(item.priority);
  const { emojis, labels } = splitTags(item.tags);
  const link = httpUrl(item.click);
  const timeMs = item.time * 1000;

  const emoji = emojis.map(({ tag, emoji: symbol }) => (
    <span key={tag} className="push-emoji" title={tag}>
      {symbol}
    </span>
  ));

  async function markRead() {
    // Its button goes once read: the row keeps the focus.
    if (await run(() => markPushesRead([item.id]))) row.current?.focus();
  }

  async function remove() {
    if (await run(() => deletePush(item.id))) onDeleted(item.id);
  }

  return (
    <li
      ref={row}
      className={`push-item priority-${level}${item.read ? '' : ' unread'}`}
      data-push-id={item.id}
      tabIndex={-1}
      aria-labelledby={item.title !== null ? `${id}-title` : `${id}-message`}
    >
      <p className="push-meta">
        {!item.read && (
          // A dot, as in a mail list; its word is for screen readers.
          <span className="push-unread" title={t('push.unread')}>
            <span className="visually-hidden">{t('push.unread')}</span>
          </span>
        )}
        <PriorityMark level={level} />
        <span className="push-topic">
          <span className="visually-hidden">{t('push.topic')}</span>
          {item.topic}
        </span>
        <time dateTime={new Date(timeMs).toISOString()} title={formatFullTime(timeMs, i18n.language)}>
          {formatRelativeTime(item.time, now, i18n.language)}
        </time>
      </p>
      {item.title !== null && (
        <h3 id={`${id}-title`} className="push-title">
          {emoji.length > 0 && <>{emoji} </>}
          {item.title}
        </h3>
      )}
      <div id={`${id}-message`} className="push-message">
        {item.title === null && emoji.length > 0 && <span className="push-emoji-lead">{emoji} </span>}
        {item.markdown ? <Markdown source={item.message} /> : <p className="push-plain">{item.message}</p>}
      </div>
      {item.attachment &&
        (isPushPreview(item.attachment) ? (
          <PushImage pushId={item.id} attachment={item.attachment} />
        ) : (
          <PushAttachmentCard attachment={item.attachment} />
        ))}
      {labels.length > 0 && (
        <p className="push-tags">
          <span className="visually-hidden">{t('push.tags')}</span>
          {labels.map((label, i) => (
            <span key={i} className="push-tag">
              {label}
              {i < labels.length - 1 && <span className="visually-hidden">, </span>}
            </span>
          ))}
        </p>
      )}
      <div className="push-actions">
        {link !== null && (
          <span className="push-link">
            <button type="button" className="small" aria-describedby={`${id}-link`} onClick={() => window.open(link, '_blank', 'noopener')}>
              {t('push.openLink')}
            </button>
            <span id={`${id}-link`} className="push-link-url">
              {t('push.linkTarget', { url: link })}
            </span>
          </span>
        )}
        {!item.read && (
          <button type="button" className="small" disabled={pending} onClick={() => void markRead()}>
            {t('push.markRead')}
          </button>
        )}
        <button type="button" className="small" disabled={pending} onClick={() => void remove()}>
          {t('push.delete')}
        </button>
      </div>
      <FormError error={error} />
    </li>
  );
});
