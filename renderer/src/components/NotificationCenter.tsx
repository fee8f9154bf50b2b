import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BellOff, Plus, Settings2 } from 'lucide-react';
import { useAsyncAction } from '../hooks/useAsyncAction.js';
import { useNowSeconds } from '../hooks/useNow.js';
import { centerOrder } from '../lib/push-list.js';
import { clearTopic, loadPushes, markAllPushesRead } from '../push-actions.js';
import { useStore } from '../store.js';
import { FormError } from './FormError.js';
import { PushEntry } from './PushEntry.js';
import { SubscribeDialog } from './push/SubscribeDialog.js';
import { TopicSettingsSheet } from './push/TopicSettingsSheet.js';

const ALL = '';
/** How long "Subscribed to …" stays under the topics. */
const SUBSCRIBED_NOTE_MS = 8_000;

type CenterDialog = { kind: 'subscribe' } | { kind: 'topic'; topic: string } | null;

/**
 * The notifications view, beside the rail where the chats are: the topics with their unread counts on
 * the left, each with its settings sheet, the pushes of the chosen topic (or all) on the right.
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
  const [dialog, setDialog] = useState<CenterDialog>(null);
  const [subscribed, setSubscribed] = useState<string | null>(null);
  const muted = useMemo(() => new Set(subscriptions.filter((s) => s.muted).map((s) => s.topic)), [subscriptions]);

  // A topic unsubscribed from goes with its pushes and its settings button, the sheet's opener: focus
  // goes to the heading instead, after the sheet has handed it back to that button.
  const focusHeadingOnClose = useRef(false);
  useEffect(() => {
    if (dialog !== null || !focusHeadingOnClose.current) return;
    focusHeadingOnClose.current = false;
    heading.current?.focus();
  }, [dialog]);

  useEffect(() => {
    if (subscribed === null) return;
    const timer = setTimeout(() => setSubscribed(null), SUBSCRIBED_NOTE_MS);
    return () => clearTimeout(timer);
  }, [subscribed]);

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

  const topicRow = (name: string, label: string, unread: number) => (
    <li key={name} className="push-topic-row">
      <button type="button" className="push-topic" aria-current={topic === name ? 'true' : undefined} onClick={() => chooseTopic(name)}>
        <span className="push-topic-name">{label}</span>
        {muted.has(name) && (
          <span className="push-topic-muted" title={t('pushSubscriptions.muted')}>
            <BellOff size={14} aria-hidden="true" />
            <span className="visually-hidden">{t('pushSubscriptions.muted')}</span>
          </span>
        )}
        {unread > 0 && (
          <span className="push-topic-count">
            <span aria-hidden="true">{unread > 99 ? '99+' : unread}</span>
            <span className="visually-hidden">{t('shell.topicUnread', { count: unread })}</span>
          </span>
        )}
      </button>
      {name !== ALL && (
        <button
          type="button"
          className="icon-button push-topic-settings"
          aria-label={t('pushSubscriptions.settingsLabel', { topic: name })}
          title={t('pushSubscriptions.settingsLabel', { topic: name })}
          aria-haspopup="dialog"
          onClick={() => setDialog({ kind: 'topic', topic: name })}
        >
          <Settings2 size={16} aria-hidden="true" />
        </button>
      )}
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
            {topicRow(ALL, t('push.allTopics'), unreadAll)}
            {topics.map((name) => topicRow(name, name, unreadByTopic.get(name) ?? 0))}
          </ul>
        </nav>
        <button type="button" className="push-subscribe-button" aria-haspopup="dialog" onClick={() => setDialog({ kind: 'subscribe' })}>
          <Plus size={16} aria-hidden="true" />
          {t('pushSubscriptions.subscribeHeading')}
        </button>
        {subscriptions.length === 0 && <p className="muted push-side-hint">{t('pushSubscriptions.none')}</p>}
        <p role="status" className="success push-subscribed">
          {subscribed === null ? '' : t('pushSubscriptions.subscribed', { topic: subscribed })}
        </p>
      </div>
      {dialog?.kind === 'subscribe' && <SubscribeDialog onClose={() => setDialog(null)} onSubscribed={setSubscribed} />}
      {dialog?.kind === 'topic' && (
        <TopicSettingsSheet
          topic={dialog.topic}
          onClose={() => setDialog(null)}
          onUnsubscribed={() => {
            focusHeadingOnClose.current = true;
            setDialog(null);
          }}
        />
      )}
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
