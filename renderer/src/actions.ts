// Flows that talk to window.warbler and update the store.
import type { ChatMessage, Conversation } from '../../shared/ipc.js';
import { subscribeAttachments } from './attachment-actions.js';
import { asFailure, errorMessage, hasBridge, invoke, on } from './api.js';
import i18n from './i18n.js';
import { subscribeDesktopEvents } from './desktop-actions.js';
import { loadPresenceQuietly } from './presence-actions.js';
import { loadPushCenterQuietly, subscribePushEvents } from './push-actions.js';
import { loadSafetyQuietly, safetyChanged } from './safety-actions.js';
import { useStore } from './store.js';
import { showTyping, showTypingHeard, stoppedTyping } from './typing-actions.js';

/** Messages per page, the latest and older ones alike; a shorter page reached the start. */
const HISTORY_LIMIT = 200;
/** Catching up from a run cut at its newest end: the most the contract allows, to overlap it if it can. */
const CATCH_UP_LIMIT = 500;
const MARK_READ_DELAY_MS = 150;

const state = () => useStore.getState();

function windowIsActive(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

export async function start(): Promise<void> {
  state().setLoading();
  if (!hasBridge()) {
    state().setLoadError(i18n.t('load.noBridge'));
    return;
  }
  try {
    const snapshot = await invoke('app:snapshot', {});
    state().applySnapshot(snapshot);
    showTypingHeard(snapshot.typing);
  } catch (error) {
    state().setLoadError(errorMessage(error));
  }
}

/** The notice of missed messages was read: it stays away, across reloads, until more are missed. */
export function dismissMissed(): void {
  const missed = state().missed;
  state().setMissed({ expired: 0, refused: 0 });
  invoke('missed:dismiss', {}).catch((error: unknown) => {
    state().setMissed(missed);
    console.warn('missed:dismiss failed', error);
  });
}

export async function register(serverUrl: string, username: string): Promise<void> {
  const profile = await invoke('account:register', { serverUrl: serverUrl.trim(), username: username.trim() });
  state().setProfile(profile);
}

/** Connects again after the connection stopped for good (e.g. the device was opened elsewhere). */
export async function retryConnection(): Promise<void> {
  try {
    await invoke('connection:retry', {});
  } catch (error) {
    state().setConnectionError(asFailure(error));
  }
}

/** The person trusts the relay's new key, named by the fingerprint they were shown (relay_key_changed). */
export async function trustRelayKey(fingerprint: string): Promise<void> {
  try {
    await invoke('relay:trustKey', { fingerprint });
  } catch (error) {
    state().setConnectionError(asFailure(error));
  }
}

export async function loadConversations(): Promise<void> {
  const list = await invoke('conversations:list', {});
  state().setConversations(list);
}

async function loadMessages(conversationId: string, reveal = false): Promise<void> {
  const list = await invoke('messages:list', { conversationId, limit: HISTORY_LIMIT });
  state().showLatest(conversationId, list, HISTORY_LIMIT, reveal);
}

/** Back to the newest messages, from a held run cut at its newest end (paged back in time). */
export function jumpToLatest(conversationId: string): Promise<void> {
  return loadMessages(conversationId, true);
}

/** Resolves once what was just rendered has been painted (or soon anyway, in a hidden window). */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 150);
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0),
    );
  });
}

/**
 * Puts a page in place with the log quiet: a screen reader would otherwise read out every message of
 * it as if it had just arrived. Quiet is rendered (and painted) before the page, loud again after.
 */
async function quietly(conversationId: string, put: () => void): Promise<void> {
  state().patchHistory(conversationId, { settling: true });
  await afterPaint();
  try {
    put();
    await afterPaint();
  } finally {
    state().patchHistory(conversationId, { settling: false });
  }
}

/** Pages in the messages before the first one held (scrolled to the top, or "Load earlier messages"). */
export async function loadOlder(conversationId: string): Promise<void> {
  const held = state().history[conversationId];
  const first = state().messages[conversationId]?.[0];
  if (!held?.hasOlder || held.loadingOlder || !first) return;
  state().patchHistory(conversationId, { loadingOlder: true, olderFailed: false });
  try {
    const page = await invoke('messages:list', { conversationId, limit: HISTORY_LIMIT, before: first.id });
    await quietly(conversationId, () => state().putOlder(conversationId, first.id, page, HISTORY_LIMIT));
    state().patchHistory(conversationId, { loadingOlder: false });
  } catch (error) {
    console.warn('loading earlier messages failed', error);
    state().patchHistory(conversationId, { loadingOlder: false, olderFailed: true });
  }
}

/** The run was cut at its newest end (to page further back): catch up with the latest messages. */
export async function loadNewer(conversationId: string): Promise<void> {
  const held = state().history[conversationId];
  if (!held?.hasNewer || held.loadingNewer) return;
  state().patchHistory(conversationId, { loadingNewer: true, newerFailed: false });
  try {
    const page = await invoke('messages:list', { conversationId, limit: CATCH_UP_LIMIT });
    await quietly(conversationId, () => state().showLatest(conversationId, page, CATCH_UP_LIMIT));
    state().patchHistory(conversationId, { loadingNewer: false });
  } catch (error) {
    console.warn('loading newer messages failed', error);
    state().patchHistory(conversationId, { loadingNewer: false, newerFailed: true });
  }
}

const markReadTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Coalesces bursts (many messages arriving at once) into one call. */
export function scheduleMarkRead(conversationId: string, delay = MARK_READ_DELAY_MS): void {
  if (markReadTimers.has(conversationId)) return;
  markReadTimers.set(
    conversationId,
    setTimeout(() => {
      markReadTimers.delete(conversationId);
      state().clearUnread(conversationId);
      invoke('conversations:markRead', { conversationId }).catch((error: unknown) => {
        console.warn('markRead failed', error);
      });
    }, delay),
  );
}

export function selectConversation(conversationId: string): void {
  state().select(conversationId);
  scheduleMarkRead(conversationId, 0);
  loadMessages(conversationId).catch((error: unknown) => {
    console.warn('loading messages failed', error);
  });
}

/** "Start chat": opens (or creates) the conversation with this user and shows it. */
export async function startChat(username: string): Promise<Conversation> {
  const conversation = await invoke('conversations:open', { username: username.trim() });
  state().putConversation(conversation);
  selectConversation(conversation.id);
  // A new contact: their presence may be news to this list.
  loadPresenceQuietly();
  return conversation;
}

export async function sendMessage(conversationId: string, text: string, attachments?: string[], replyTo?: string): Promise<ChatMessage> {
  const message = await invoke('messages:send', { conversationId, text, ...(attachments?.length ? { attachments } : {}), ...(replyTo ? { replyTo } : {}) });
  // Whoever just wrote wants to see it: back to the newest messages.
  if (state().history[conversationId]?.hasNewer) {
    loadMessages(conversationId, true).catch((error: unknown) => console.warn('loading messages failed', error));
  } else {
    if (state().selectedId === conversationId) state().setFollowing(true);
    state().putMessages([message]);
  }
  return message;
}

/**
 * Shows the safety number with this person in their direct conversation, where its panel lives
 * (from a group, that conversation is opened, or started).
 */
export async function showSafetyNumber(username: string): Promise<void> {
  const { selectedId, conversations } = state();
  if (selectedId !== username) {
    if (conversations.some((c) => c.id === username)) selectConversation(username);
    else await startChat(username);
  }
  state().openSafetyPanel(username);
}

/** Fetch what may have been missed while disconnected. Events upsert, so overlaps are harmless. */
function resync(): void {
  const { phase, selectedId } = state();
  if (phase !== 'main') return;
  loadConversations().catch((error: unknown) => console.warn('loading conversations failed', error));
  loadPresenceQuietly();
  loadPushCenterQuietly();
  // A run cut at its newest end catches up when the reader scrolls down to its end, not under them.
  if (selectedId && !state().history[selectedId]?.hasNewer) {
    loadMessages(selectedId).catch((error: unknown) => console.warn('loading messages failed', error));
  }
  if (selectedId && state().conversations.some((c) => c.id === selectedId && c.kind === 'direct')) {
    loadSafetyQuietly(selectedId);
  }
}

function markReadIfViewing(conversationId: string): void {
  if (state().selectedId === conversationId && windowIsActive()) scheduleMarkRead(conversationId);
}

/** A notification (OS or in-page) or a warbler:// link asks for this conversation. */
export function openConversation(conversationId: string): void {
  if (state().phase !== 'main') return;
  if (!state().conversations.some((c) => c.id === conversationId)) {
    loadConversations().catch((error: unknown) => console.warn('loading conversations failed', error));
  }
  state().closePushCenter();
  selectConversation(conversationId);
}

/** Subscribes to every event from core. Returns the unsubscribe. */
export function subscribe(): () => void {
  if (!hasBridge()) return () => {};
  const offs = [
    subscribeAttachments(),
    on('message', (message) => {
      state().putMessages([message]);
      if (!message.outgoing) {
        stoppedTyping(message.conversationId, message.sender);
        markReadIfViewing(message.conversationId);
      }
    }),
    on('message-removed', ({ conversationId, id }) => state().removeMessage(conversationId, id)),
    on('conversation-removed', ({ conversationId }) => state().dropConversation(conversationId)),
    on('conversation', (conversation) => {
      state().putConversation(conversation);
      if (conversation.unread > 0) markReadIfViewing(conversation.id);
    }),
    on('connection', (connection) => {
      const { connection: previous, phase } = state();
      state().setConnection(connection);
      // Any news from the host after a failed start means it is reachable again: retry.
      if (phase === 'load-error') void start();
      else if (connection === 'online' && previous !== 'online') resync();
    }),
    on('connection-error', (error) => state().setConnectionError(error)),
    on('messages-missed', (missed) => state().setMissed(missed)),
    on('profile', (profile) => state().setProfile(profile)),
    on('vault', (vault) => state().setVault(vault)),
    on('presence', (presence) => state().putPresence(presence)),
    on('typing', ({ conversationId, username, typing }) => showTyping(conversationId, username, typing)),
    on('safety', (info) => safetyChanged(info)),
    on('open-conversation', ({ conversationId }) => openConversation(conversationId)),
    ...subscribePushEvents(),
    ...subscribeDesktopEvents(),
  ];
  const onFocus = () => {
    if (!windowIsActive()) return;
    const { selectedId, conversations } = state();
    if (selectedId && conversations.some((c) => c.id === selectedId && c.unread > 0)) scheduleMarkRead(selectedId);
  };
  // The OS says the network is back: reconnect now instead of waiting out the backoff.
  const onOnline = () => {
    if (state().phase === 'main' && state().connection !== 'online') {
      invoke('connection:retry', {}).catch((error: unknown) => console.warn('reconnect failed', error));
    }
  };
  window.addEventListener('focus', onFocus);
  window.addEventListener('online', onOnline);
  document.addEventListener('visibilitychange', onFocus);
  return () => {
    for (const off of offs) off();
    window.removeEventListener('focus', onFocus);
    window.removeEventListener('online', onOnline);
    document.removeEventListener('visibilitychange', onFocus);
  };
}
