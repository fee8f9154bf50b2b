import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { useNowSeconds } from '../hooks/useNow.js';
import { sortPushes } from '../lib/push-list.js';
import { clearTopic, loadPushes, markAllPushesRead } from '../push-actions.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';
import { PushEntry } from './PushEntry.js';
import { PushSubscriptions } from './PushSubscriptions.js';

const ALL = '';

/** A non-modal panel under the header: the pushes of subscribed topics, newest first, and the subscriptions. */
export function NotificationCenter({ id, onClose }: { id: string; onClose: () => void }) {
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
  const items = useMemo(() => sortPushes(pushes).filter((p) => topic === ALL || p.topic === topic), [pushes, topic]);

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

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  }

  return (
    <section id={id} className="link-panel push-center" aria-labelledby={`${id}-title`} onKeyDown={onKeyDown}>
      <div className="push-center-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          {t('push.title')}
        </h2>
        <button type="button" className="small" onClick={onClose}>
          {t('push.close')}
        </button>
      </div>
      <div className="push-center-body">
        <div className="push-feed">
          <div className="push-toolbar">
            <label htmlFor={`${id}-filter`}>{t('push.filter')}</label>
            <select id={`${id}-filter`} value={topic} onChange={(e) => chooseTopic(e.target.value)}>
              <option value={ALL}>{t('push.allTopics')}</option>
              {topics.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
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
            <p className="muted">{topic === ALL ? t('push.empty') : t('push.emptyTopic', { topic })}</p>
          ) : (
            <ul ref={list} className="push-list" aria-label={t('push.list')}>
              {items.map((item) => (
                <PushEntry key={item.id} item={item} now={now} onDeleted={onDeleted} />
              ))}
            </ul>
          )}
        </div>
        <PushSubscriptions />
      </div>
    </section>
  );
}
