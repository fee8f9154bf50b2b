// App state (zustand). Only synchronous state changes live here; flows that talk to window.warbler are in actions.ts.
import { create } from 'zustand';
import type {
  AppSnapshot,
  ChatMessage,
  ConnectionState,
  Conversation,
  DeviceInfo,
  MissedMessages,
  Presence,
  ProfileInfo,
  PushItem,
  PushSubscription,
  SafetyInfo,
  UnreadCounts,
  VaultStatus,
} from '../../shared/ipc.js';
import {
  applyIncoming,
  applyAround,
  applyLatest,
  applyOlder,
  dropMessage,
  type Held,
  type HistoryWindow,
  patchWindow,
  settle,
} from './lib/history-window.js';
import { sortConversations, upsertConversation } from './model.js';
import type { Failure } from './lib/error-text.js';

export type Phase = 'loading' | 'load-error' | 'locked' | 'choose-passphrase' | 'first-run' | 'main';

/** The screen for a vault state and a profile: the history's key comes before anything else. */
function phaseOf(vault: VaultStatus, profile: ProfileInfo | null): Phase {
  if (vault.state === 'locked') return 'locked';
  if (vault.state === 'choose-passphrase') return 'choose-passphrase';
  return profile ? 'main' : 'first-run';
}

export interface PendingLink {
  /** 18 bare digits; the last 10 are a secret that must reach the approving device through a person only. */
  code: string;
  expiresAt: number;
}

/** The safety-number panel shown in the direct conversation with `username`. */
export interface SafetyPanel {
  username: string;
  /** Counts requests to show it: each one brings focus to the panel, open already or not. */
  request: number;
}

/** The notification center, while it is open. */
export interface PushCenter {
  /** The push to bring into view (the person clicked its OS notification); null for none. */
  focusId: string | null;
  /** Counts requests to show it: each one brings focus to the center (or the push), open already or not. */
  request: number;
}

export interface AppState {
  phase: Phase;
  loadError: string | null;
  profile: ProfileInfo | null;
  defaultServerUrl: string;
  connection: ConnectionState;
  /** Why the connection stopped for good; null while it is up or retrying by itself. */
  connectionError: Failure | null;
  /** Messages that never reached this device; shown until dismissed. */
  missed: MissedMessages;
  /** Sorted by updatedAt, newest first. */
  conversations: Conversation[];
  selectedId: string | null;
  /** Per conversation, ordered for display (see compareMessages): a bounded run of its history. */
  messages: Record<string, ChatMessage[]>;
  /** Per conversation, how the held run relates to the whole history; absent until a page was loaded. */
  history: Record<string, HistoryWindow>;
  /** The reader of the open conversation is at its newest message: new ones scroll into view. */
  following: boolean;
  /** How many of the open conversation's messages were unread when it was opened: its log marks where they start. */
  unreadAtOpen: number;
  /** This person hides their presence from everyone. */
  presenceHidden: boolean;
  /** Away by the person's choice (kept by core), not the idle timer's. */
  presenceAway: boolean;
  /** This (new) device waits for approval with this code. */
  pendingLink: PendingLink | null;
  /** Others' presence by username, as last heard. */
  presence: Record<string, Presence>;
  /** Per conversation, who is typing now (in the order they started). */
  typing: Record<string, string[]>;
  /** Safety numbers by username, as last heard from core. */
  safety: Record<string, SafetyInfo>;
  safetyPanel: SafetyPanel | null;
  /** This account's devices; null until listed. */
  devices: DeviceInfo[] | null;
  /** The notification center's pushes by id, as core last told (see lib/push-list for their order). */
  pushes: Record<string, PushItem>;
  /** Pushes were listed at least once since the app started: an empty center means none, not unknown. */
  pushesListed: boolean;
  /** By topic name. */
  pushSubscriptions: PushSubscription[];
  /** Core's counts: what the header and the window title show. */
  unread: UnreadCounts;
  pushCenter: PushCenter | null;
  /** How the history's key is kept; null until the first snapshot. */
  vault: VaultStatus | null;
  /** Where a reset put the old profile's files, to tell the person on the first-run screen. */
  setAsideTo: string | null;

  applySnapshot(snapshot: AppSnapshot): void;
  setVault(vault: VaultStatus): void;
  setSetAsideTo(path: string | null): void;
  setLoading(): void;
  setLoadError(message: string): void;
  setProfile(profile: ProfileInfo): void;
  setConnection(connection: ConnectionState): void;
  setConnectionError(error: Failure | null): void;
  setMissed(missed: MissedMessages): void;
  setConversations(list: Conversation[]): void;
  putConversation(conversation: Conversation): void;
  /** A conversation was deleted (a message request): out of the list, and out of view. */
  dropConversation(conversationId: string): void;
  clearUnread(conversationId: string): void;
  select(conversationId: string | null): void;
  putMessages(messages: readonly ChatMessage[]): void;
  /**
   * The latest page of a conversation (`messages:list` without `before`), asked with this limit.
   * `reveal`: the reader asked for the newest messages (they just wrote one), wherever they were.
   */
  showLatest(conversationId: string, page: readonly ChatMessage[], limit: number, reveal?: boolean): void;
  /** The page around a message opened from a search: the reader is there now, not at the newest. */
  showAround(conversationId: string, page: readonly ChatMessage[]): void;
  /** A page of messages ordered before message `before`, asked with this limit. */
  putOlder(conversationId: string, before: string, page: readonly ChatMessage[], limit: number): void;
  patchHistory(conversationId: string, patch: Partial<HistoryWindow>): void;
  setFollowing(following: boolean): void;
  setPresenceChoice(choice: { hidden: boolean; away: boolean }): void;
  setPendingLink(link: PendingLink | null): void;
  setPresenceList(list: readonly Presence[]): void;
  putPresence(presence: Presence): void;
  setTyping(conversationId: string, username: string, typing: boolean): void;
  /** A message left the conversation (see the 'message-removed' event). */
  removeMessage(conversationId: string, id: string): void;
  putSafety(info: SafetyInfo): void;
  openSafetyPanel(username: string): void;
  closeSafetyPanel(): void;
  setDevices(devices: DeviceInfo[]): void;
  /** Replaces all pushes held (a merged list from core). */
  setPushes(pushes: Record<string, PushItem>): void;
  putPush(item: PushItem): void;
  removePushes(ids: readonly string[]): void;
  setPushSubscriptions(list: readonly PushSubscription[]): void;
  putPushSubscription(subscription: PushSubscription): void;
  dropPushSubscription(topic: string): void;
  setUnread(counts: UnreadCounts): void;
  openPushCenter(focusId?: string | null): void;
  closePushCenter(): void;
}

export const EMPTY_MESSAGES: readonly ChatMessage[] = Object.freeze([]);
export const NOBODY: readonly string[] = Object.freeze([]);

type HeldState = Pick<AppState, 'messages' | 'history'>;

/** What a conversation with nothing held reads as; never mutated (the helpers copy). */
const NONE: ChatMessage[] = [];

/** The conversation's reader is at its newest messages, or nobody is reading it: its oldest may go. */
function atLatest(s: Pick<AppState, 'selectedId' | 'following'>, conversationId: string): boolean {
  return s.selectedId !== conversationId || s.following;
}

function heldOf(s: HeldState, conversationId: string): Held {
  return { messages: s.messages[conversationId] ?? NONE, window: s.history[conversationId] };
}

/** Writes a conversation's run back; the same state object when nothing changed. */
function put<S extends HeldState>(s: S, conversationId: string, held: Held): S {
  const messagesChanged = held.messages !== (s.messages[conversationId] ?? NONE);
  const windowChanged = held.window !== s.history[conversationId];
  if (!messagesChanged && !windowChanged) return s;
  return {
    ...s,
    messages: messagesChanged ? { ...s.messages, [conversationId]: held.messages } : s.messages,
    history: windowChanged && held.window ? { ...s.history, [conversationId]: held.window } : s.history,
  };
}

function byTopic(list: readonly PushSubscription[]): PushSubscription[] {
  return [...list].sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== key));
}

export const useStore = create<AppState>()((set) => ({
  phase: 'loading',
  loadError: null,
  profile: null,
  defaultServerUrl: '',
  connection: 'connecting',
  connectionError: null,
  missed: { expired: 0, refused: 0 },
  conversations: [],
  selectedId: null,
  messages: {},
  history: {},
  following: true,
  unreadAtOpen: 0,
  presenceHidden: false,
  presenceAway: false,
  pendingLink: null,
  presence: {},
  typing: {},
  safety: {},
  safetyPanel: null,
  devices: null,
  pushes: {},
  pushesListed: false,
  pushSubscriptions: [],
  unread: { chat: 0, push: 0 },
  pushCenter: null,
  vault: null,
  setAsideTo: null,

  applySnapshot: (snapshot) =>
    set({
      vault: snapshot.vault,
      profile: snapshot.profile,
      defaultServerUrl: snapshot.defaultServerUrl,
      connection: snapshot.connection,
      connectionError: snapshot.connectionError,
      presenceHidden: snapshot.presenceHidden,
      presenceAway: snapshot.presenceAway,
      missed: snapshot.missed,
      pendingLink: snapshot.profile ? null : snapshot.pendingLink,
      phase: phaseOf(snapshot.vault, snapshot.profile),
      loadError: null,
    }),
  setVault: (vault) =>
    set((s) => ({ vault, phase: s.phase === 'loading' || s.phase === 'load-error' ? s.phase : phaseOf(vault, s.profile) })),
  setSetAsideTo: (setAsideTo) => set({ setAsideTo }),
  setLoading: () => set({ phase: 'loading', loadError: null }),
  setLoadError: (message) => set({ phase: 'load-error', loadError: message }),
  setProfile: (profile) =>
    set((s) => ({
      profile,
      pendingLink: null,
      phase: s.phase === 'first-run' || s.phase === 'main' ? 'main' : s.phase,
    })),
  setConnection: (connection) =>
    set((s) => ({ connection, connectionError: connection === 'offline' ? s.connectionError : null })),
  setConnectionError: (connectionError) => set({ connectionError }),
  setMissed: (missed) => set({ missed }),
  setConversations: (list) => set({ conversations: sortConversations(list) }),
  putConversation: (conversation) => set((s) => ({ conversations: upsertConversation(s.conversations, conversation) })),
  dropConversation: (conversationId) =>
    set((s) => {
      // Its messages go too: if it comes back (a new message, or later ones kept), it is read afresh.
      const { [conversationId]: _messages, ...messages } = s.messages;
      const { [conversationId]: _window, ...history } = s.history;
      return {
        conversations: s.conversations.filter((c) => c.id !== conversationId),
        selectedId: s.selectedId === conversationId ? null : s.selectedId,
        messages,
        history,
      };
    }),
  clearUnread: (conversationId) =>
    set((s) => ({
      conversations: s.conversations.map((c) => (c.id === conversationId && c.unread > 0 ? { ...c, unread: 0 } : c)),
    })),
  select: (conversationId) =>
    set((s) => {
      const previous = s.selectedId;
      if (previous === conversationId) return s;
      let { messages, history } = s;
      if (previous !== null && messages[previous]) {
        // Nobody reads it now: back to its newest messages (see settle), or let go of a run cut at its
        // newest end (opening it again shows the latest page).
        const held = heldOf(s, previous);
        if (held.window?.hasNewer) {
          messages = without(messages, previous);
          history = without(history, previous);
        } else {
          ({ messages, history } = put(s, previous, settle(held)));
        }
      }
      // The safety panel belongs to the conversation it was opened in.
      const unreadAtOpen = s.conversations.find((c) => c.id === conversationId)?.unread ?? 0;
      return { selectedId: conversationId, following: true, unreadAtOpen, messages, history, safetyPanel: null };
    }),
  putMessages: (incoming) =>
    set((s) => {
      const byConversation = new Map<string, ChatMessage[]>();
      for (const m of incoming) {
        const group = byConversation.get(m.conversationId);
        if (group) group.push(m);
        else byConversation.set(m.conversationId, [m]);
      }
      let next: Pick<AppState, 'messages' | 'history'> = s;
      for (const [conversationId, group] of byConversation) {
        next = put(next, conversationId, applyIncoming(heldOf(next, conversationId), group, atLatest(s, conversationId)));
      }
      return next === s ? s : next;
    }),
  showLatest: (conversationId, page, limit, reveal = false) =>
    set((s) => {
      const readerAway = !reveal && !atLatest(s, conversationId);
      const { held, replaced } = applyLatest(heldOf(s, conversationId), page, limit, readerAway);
      const next = put(s, conversationId, held);
      // The run on screen was replaced by the latest page (or asked for): show its end.
      return (replaced || reveal) && s.selectedId === conversationId ? { ...next, following: true } : next;
    }),
  showAround: (conversationId, page) =>
    set((s) => (s.selectedId === conversationId ? { ...put(s, conversationId, applyAround(page)), following: false } : s)),
  putOlder: (conversationId, before, page, limit) =>
    set((s) => put(s, conversationId, applyOlder(heldOf(s, conversationId), before, page, limit, atLatest(s, conversationId)))),
  patchHistory: (conversationId, patch) => set((s) => put(s, conversationId, patchWindow(heldOf(s, conversationId), patch))),
  setFollowing: (following) =>
    set((s) => {
      if (s.following === following) return s;
      const id = s.selectedId;
      return following && id !== null ? { ...put(s, id, settle(heldOf(s, id))), following } : { following };
    }),
  setPresenceChoice: ({ hidden, away }) => set({ presenceHidden: hidden, presenceAway: away }),
  setPendingLink: (pendingLink) => set({ pendingLink }),
  setPresenceList: (list) => set({ presence: Object.fromEntries(list.map((p) => [p.username, p])) }),
  putPresence: (presence) => set((s) => ({ presence: { ...s.presence, [presence.username]: presence } })),
  setTyping: (conversationId, username, typing) =>
    set((s) => {
      const current = s.typing[conversationId] ?? NOBODY;
      const has = current.includes(username);
      if (has === typing) return s;
      const next = typing ? [...current, username] : current.filter((u) => u !== username);
      const rest = Object.fromEntries(Object.entries(s.typing).filter(([id]) => id !== conversationId));
      return { typing: next.length > 0 ? { ...rest, [conversationId]: next } : rest };
    }),
  removeMessage: (conversationId, id) => set((s) => put(s, conversationId, dropMessage(heldOf(s, conversationId), id))),
  putSafety: (info) => set((s) => ({ safety: { ...s.safety, [info.username]: info } })),
  openSafetyPanel: (username) =>
    set((s) => ({ safetyPanel: { username, request: (s.safetyPanel?.request ?? 0) + 1 } })),
  closeSafetyPanel: () => set({ safetyPanel: null }),
  setDevices: (devices) => set({ devices }),
  setPushes: (pushes) => set({ pushes, pushesListed: true }),
  putPush: (item) => set((s) => ({ pushes: { ...s.pushes, [item.id]: item } })),
  removePushes: (ids) =>
    set((s) => {
      if (!ids.some((id) => Object.hasOwn(s.pushes, id))) return s;
      const gone = new Set(ids);
      return { pushes: Object.fromEntries(Object.entries(s.pushes).filter(([id]) => !gone.has(id))) };
    }),
  setPushSubscriptions: (list) => set({ pushSubscriptions: byTopic(list) }),
  putPushSubscription: (subscription) =>
    set((s) => ({
      pushSubscriptions: byTopic([...s.pushSubscriptions.filter((p) => p.topic !== subscription.topic), subscription]),
    })),
  dropPushSubscription: (topic) =>
    set((s) => ({ pushSubscriptions: s.pushSubscriptions.filter((p) => p.topic !== topic) })),
  setUnread: (unread) =>
    set((s) => (s.unread.chat === unread.chat && s.unread.push === unread.push ? s : { unread })),
  openPushCenter: (focusId = null) =>
    set((s) => ({ pushCenter: { focusId, request: (s.pushCenter?.request ?? 0) + 1 } })),
  closePushCenter: () => set({ pushCenter: null }),
}));
