import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { useNowSeconds } from '../hooks/useNow.js';
import { centerOrder } from '../lib/push-list.js';
import { clearTopic, loadPushes, markAllPushesRead } from '../push-actions.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';
import { PushEntry } from './PushEntry.js';
import { PushSubscriptions } from './PushSubscriptions.js';

const ALL = '';

/**
 * The notifications view, beside the rail where the chats are: the topics with their unread counts
 * and the subscriptions on the left, the pushes of the chosen topic (or all) on the right, newest first.
 */
export function NotificationCenter({ id }: { id: string }) {
  const { t } = useTranslation();
  const pushes = useStore((s) => s.pushes);
  const listed = useStore((s) => s.pushesListed);
  const subscriptions = useStore((s) => s.pushSubscriptions);
  const request = useStore((s) => s.pushCenter?.request ?? 0);
  const [chosenTopic, setChosenTopic] = useState(ALL);
  const load = useAsyncAction();
  const bulk = useAsyncAction();
  const now = useNowSeconds(30_000);
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLUListElement>(null);
  /** A push to bring into view once it is rendered (asked for, or the neighbour of one deleted). */
  const pendingFocus = useRef<string | null>(null);

  // Subscribed topics, and any topic pushes are still held for (unsubscribed, not cleared).
  const topics = useMemo(() => {
    const names = new Set(subscriptions.map((s) => s.topic));
    for (const item of Object.values(pushes)) names.add(item.topic);
    return [...names].sort();
  }, [subscriptions, pushes]);
  // A topic that went away entirely filters nothing any more.
  const topic = chosenTopic !== ALL && topics.includes(chosenTopic) ? chosenTopic : ALL;
  // Of the pushes held: the newest of every topic, enough for the counts a person looks at.
  const unreadByTopic = useMemo(() => {
    const counts = new Map<string, number>();
    for (const item of Object.values(pushes)) if (!item.read) counts.set(item.topic, (counts.get(item.topic) ?? 0) + 1);
    return counts;
  }, [pushes]);
  const unreadAll = [...unreadByTopic.values()].reduce((sum, n) => sum + n, 0);
  const items = useMemo(() => centerOrder(pushes).filter((p) => topic === ALL || p.topic === topic), [pushes, topic]);

  // Listed afresh on every opening; once per opening, not on every render.
  useEffect(() => {
    void load.run(() => loadPushes());
  }, []);

  // Opened, or asked again (an OS notification clicked): to the push asked for, else to the heading.
  useEffect(() => {
    const focusId = useStore.getState().pushCenter?.focusId ?? null;
    if (focusId === null) {
      heading.current?.focus();
      return;
    }
    pendingFocus.current = focusId;
    const focusTopic = useStore.getState().pushes[focusId]?.topic;
    setChosenTopic((current) => (current === ALL || current === focusTopic ? current : ALL));
  }, [request]);

  useEffect(() => {
    const focusId = pendingFocus.current;
    if (focusId === null) return;
    const row = list.current?.querySelector<HTMLElement>(`[data-push-id="${CSS.escape(focusId)}"]`);
    if (!row) return;
    pendingFocus.current = null;
    row.scrollIntoView({ block: 'nearest' });
    row.focus();
  });

  const onDeleted = useCallback(
    (deletedId: string) => {
      const at = items.findIndex((p) => p.id === deletedId);
      const next = items[at + 1] ?? items[at - 1];
      if (next) pendingFocus.current = next.id;
      else heading.current?.focus();
    },
    [items],
  );

  function chooseTopic(next: string) {
    setChosenTopic(next);
    // Held are the newest of all topics: a quiet topic's older pushes may lie beyond them.
    if (next !== ALL) loadPushes(next).catch((error: unknown) => console.warn('loading pushes failed', error));
  }

  const topicButton = (name: string, label: string, unread: number) => (
    <li key={name}>
      <button type="button" className="push-topic" aria-current={topic === name ? 'true' : undefined} onClick={() => chooseTopic(name)}>
        <span className="push-topic-name">{label}</span>
        {unread > 0 && (
          <span className="push-topic-count">
            <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
            <span className="visually-hidden">{t('shell.topicUnread', { count: unread })}</span>
          </span>
        )}
      </button>
    </li>
  );

  return (
    <section id={id} className="push-center" aria-labelledby={`${id}-title`}>
      <div className="push-side">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          {t('push.title')}
        </h2>
        <nav aria-label={t('shell.topics')}>
          <ul className="push-topics">
            {topicButton(ALL, t('push.allTopics'), unreadAll)}
            {topics.map((name) => topicButton(name, name, unreadByTopic.get(name) ?? 0))}
          </ul>
        </nav>
        <PushSubscriptions />
      </div>
      <div className="push-feed">
        <div className="push-toolbar">
          <h3 className="push-feed-title">{topic === ALL ? t('push.allTopics') : topic}</h3>
          <button
            type="button"
            className="small"
            disabled={bulk.pending}
            onClick={() => void bulk.run(() => markAllPushesRead(topic === ALL ? undefined : topic))}
          >
            {t('push.markAllRead')}
          </button>
          {topic !== ALL && (
            <button type="button" className="small" disabled={bulk.pending} onClick={() => void bulk.run(() => clearTopic(topic))}>
              {t('push.clearTopic')}
            </button>
          )}
        </div>
        <FormError error={bulk.error} />
        {!listed && load.error ? (
          <>
            <FormError error={t('push.loadFailed')} />
            <button type="button" className="small" onClick={() => void load.run(() => loadPushes())}>
              {t('push.retry')}
            </button>
          </>
        ) : !listed && items.length === 0 ? (
          <p role="status" className="muted">
            {t('push.loading')}
          </p>
        ) : items.length === 0 ? (
          <p className="muted push-empty">{topic === ALL ? t('push.empty') : t('push.emptyTopic', { topic })}</p>
        ) : (
          <ul ref={list} className="push-list" aria-label={t('push.list')}>
            {items.map((item) => (
              <PushEntry key={item.id} item={item} now={now} onDeleted={onDeleted} />
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
