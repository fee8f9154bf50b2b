// App state (zustand). Only synchronous state changes live here; flows that talk to window.warbler are in actions.ts.
import { create } from 'zustand';
import type {
  AppSnapshot,
  ChatMessage,
  ConnectionState,
  Conversation,
  IpcError,
  Presence,
  ProfileInfo,
} from '../../shared/ipc.js';
import { sortConversations, upsertConversation, upsertMessages } from './model.js';

export type Phase = 'loading' | 'load-error' | 'first-run' | 'main';

export interface PendingLink {
  code: string;
  expiresAt: number;
}

export interface AppState {
  phase: Phase;
  loadError: string | null;
  profile: ProfileInfo | null;
  defaultServerUrl: string;
  connection: ConnectionState;
  /** Why the connection stopped for good; null while it is up or retrying by itself. */
  connectionError: IpcError | null;
  /** Messages that expired on the relay before this device came back; shown until dismissed. */
  expiredCount: number;
  /** Sorted by updatedAt, newest first. */
  conversations: Conversation[];
  selectedId: string | null;
  /** Per conversation, ordered for display (see compareMessages). */
  messages: Record<string, ChatMessage[]>;
  /** This person hides their presence from everyone. */
  presenceHidden: boolean;
  /** This (new) device waits for approval with this code. */
  pendingLink: PendingLink | null;
  /** Others' presence by username, as last heard. */
  presence: Record<string, Presence>;
  /** Per conversation, who is typing now (in the order they started). */
  typing: Record<string, string[]>;

  applySnapshot(snapshot: AppSnapshot): void;
  setLoading(): void;
  setLoadError(message: string): void;
  setProfile(profile: ProfileInfo): void;
  setConnection(connection: ConnectionState): void;
  setConnectionError(error: IpcError | null): void;
  addExpired(count: number): void;
  dismissExpired(): void;
  setConversations(list: Conversation[]): void;
  putConversation(conversation: Conversation): void;
  clearUnread(conversationId: string): void;
  select(conversationId: string | null): void;
  putMessages(messages: readonly ChatMessage[]): void;
  setPresenceHidden(hidden: boolean): void;
  setPendingLink(link: PendingLink | null): void;
  setPresenceList(list: readonly Presence[]): void;
  putPresence(presence: Presence): void;
  setTyping(conversationId: string, username: string, typing: boolean): void;
}

export const EMPTY_MESSAGES: readonly ChatMessage[] = Object.freeze([]);
export const NOBODY: readonly string[] = Object.freeze([]);

export const useStore = create<AppState>()((set) => ({
  phase: 'loading',
  loadError: null,
  profile: null,
  defaultServerUrl: '',
  connection: 'connecting',
  connectionError: null,
  expiredCount: 0,
  conversations: [],
  selectedId: null,
  messages: {},
  presenceHidden: false,
  pendingLink: null,
  presence: {},
  typing: {},

  applySnapshot: (snapshot) =>
    set({
      profile: snapshot.profile,
      defaultServerUrl: snapshot.defaultServerUrl,
      connection: snapshot.connection,
      connectionError: snapshot.connectionError,
      presenceHidden: snapshot.presenceHidden,
      pendingLink: snapshot.profile ? null : snapshot.pendingLink,
      phase: snapshot.profile ? 'main' : 'first-run',
      loadError: null,
    }),
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
  addExpired: (count) => set((s) => ({ expiredCount: s.expiredCount + count })),
  dismissExpired: () => set({ expiredCount: 0 }),
  setConversations: (list) => set({ conversations: sortConversations(list) }),
  putConversation: (conversation) => set((s) => ({ conversations: upsertConversation(s.conversations, conversation) })),
  clearUnread: (conversationId) =>
    set((s) => ({
      conversations: s.conversations.map((c) => (c.id === conversationId && c.unread > 0 ? { ...c, unread: 0 } : c)),
    })),
  select: (conversationId) => set({ selectedId: conversationId }),
  putMessages: (incoming) =>
    set((s) => {
      const byConversation = new Map<string, ChatMessage[]>();
      for (const m of incoming) {
        const group = byConversation.get(m.conversationId);
        if (group) group.push(m);
        else byConversation.set(m.conversationId, [m]);
      }
      let messages = s.messages;
      for (const [conversationId, group] of byConversation) {
        const current = messages[conversationId] ?? [];
        const next = upsertMessages(current, group);
        if (next !== current) messages = { ...messages, [conversationId]: next };
      }
      return messages === s.messages ? s : { messages };
    }),
  setPresenceHidden: (presenceHidden) => set({ presenceHidden }),
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
}));
