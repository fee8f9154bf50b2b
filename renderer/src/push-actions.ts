// The notification center's flows: pushes, subscriptions and unread counts are listed when the main
// screen opens and after a reconnect, and kept current by core's events in between.
import type { PushSubscription } from '../../shared/ipc.js';
import { invoke, on } from './api.js';
import i18n from './i18n.js';
import { createFreshness } from './lib/freshness.js';
import { mergeListed } from './lib/push-list.js';
import { isTopicKey } from './lib/topics.js';
import { useStore } from './store.js';

/** Core's own default page; the center shows this many of the newest, per topic when one is chosen. */
const PUSH_LIMIT = 500;

const state = () => useStore.getState();

// Which pushes an event told of since a list left: the list's answer is older for those.
let heard = 0;
const heardAt = new Map<string, number>();
let listsInFlight = 0;

function heardOf(ids: readonly string[]): void {
  heard++;
  for (const id of ids) heardAt.set(id, heard);
}

// Subscriptions and counts come whole: a list or count that left before an event is older than it.
const freshness = createFreshness();

export async function loadPushes(topic?: string): Promise<void> {
  const mark = heard;
  listsInFlight++;
  try {
    const items = await invoke('push:list', topic === undefined ? { limit: PUSH_LIMIT } : { topic, limit: PUSH_LIMIT });
    const changedSince = (id: string) => (heardAt.get(id) ?? 0) > mark;
    state().setPushes(mergeListed(state().pushes, { items, topic, limit: PUSH_LIMIT, changedSince }));
  } finally {
    listsInFlight--;
    if (listsInFlight === 0) heardAt.clear();
  }
}

async function loadSubscriptions(): Promise<void> {
  const ticket = freshness.ticket('subscriptions');
  const list = await invoke('push:subscriptions', {});
  if (freshness.isCurrent('subscriptions', ticket)) state().setPushSubscriptions(list);
}

async function loadUnread(): Promise<void> {
  const ticket = freshness.ticket('unread');
  const counts = await invoke('unread:get', {});
  if (freshness.isCurrent('unread', ticket)) state().setUnread(counts);
}

/** Everything the center shows, as core holds it now; failures are logged (the center offers a retry). */
export function loadPushCenterQuietly(): void {
  loadPushes().catch((error: unknown) => console.warn('loading pushes failed', error));
  loadSubscriptions().catch((error: unknown) => console.warn('loading push subscriptions failed', error));
  loadUnread().catch((error: unknown) => console.warn('loading unread counts failed', error));
}

export async function markPushesRead(ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await invoke('push:markRead', { ids: [...ids] });
}

/** Everything, or one topic's. */
export async function markAllPushesRead(topic?: string): Promise<void> {
  await invoke('push:markRead', topic === undefined ? { all: true } : { topic });
}

export async function deletePush(id: string): Promise<void> {
  await invoke('push:delete', { ids: [id] });
}

export async function clearTopic(topic: string): Promise<void> {
  await invoke('push:clearTopic', { topic });
}

/** `topic` is a key (lib/topic-input.ts makes one); one core would refuse is refused here first. */
export async function subscribeTopic(topic: string): Promise<PushSubscription> {
  if (!isTopicKey(topic)) throw new Error(i18n.t('pushSubscriptions.invalidTopic'));
  const subscription = await invoke('push:subscribe', { topic });
  freshness.changed('subscriptions');
  state().putPushSubscription(subscription);
  // Pushes the relay still caches for the topic may come with it.
  loadPushes(topic).catch((error: unknown) => console.warn('loading pushes failed', error));
  return subscription;
}

export async function unsubscribeTopic(topic: string): Promise<void> {
  await invoke('push:unsubscribe', { topic });
  freshness.changed('subscriptions');
  state().dropPushSubscription(topic);
}

export async function setTopicMuted(topic: string, muted: boolean): Promise<void> {
  const subscription = await invoke('push:setMuted', { topic, muted });
  freshness.changed('subscriptions');
  state().putPushSubscription(subscription);
}

export async function setTopicMinPriority(topic: string, minPriority: number): Promise<void> {
  const subscription = await invoke('push:setMinPriority', { topic, minPriority });
  freshness.changed('subscriptions');
  state().putPushSubscription(subscription);
}

/** The person clicked a push's OS notification: the center opens on it (listed first if it is news here). */
export function openPush(id: string): void {
  if (state().phase !== 'main') return;
  if (Object.hasOwn(state().pushes, id)) {
    state().openPushCenter(id);
    return;
  }
  loadPushes()
    .catch((error: unknown) => console.warn('loading pushes failed', error))
    .finally(() => state().openPushCenter(Object.hasOwn(state().pushes, id) ? id : null));
}

/** Core's push events; returns their unsubscribes. */
export function subscribePushEvents(): (() => void)[] {
  return [
    on('push', (item) => {
      heardOf([item.id]);
      state().putPush(item);
    }),
    on('push-removed', ({ ids }) => {
      heardOf(ids);
      state().removePushes(ids);
    }),
    on('push-subscriptions', (list) => {
      freshness.changed('subscriptions');
      state().setPushSubscriptions(list);
    }),
    on('unread', (counts) => {
      freshness.changed('unread');
      state().setUnread(counts);
    }),
    on('open-push', ({ id }) => openPush(id)),
  ];
}
