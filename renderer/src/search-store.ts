// The search box: what is typed, where it looks (everywhere, or one conversation), what it found,
// and the message a chosen result opened at.
import { create } from 'zustand';
import type { SearchHit } from '../../shared/ipc.js';

interface SearchState {
  query: string;
  /** The conversation searched in (Ctrl/Cmd+F in a conversation); null: the whole history. */
  scope: string | null;
  /** Null until the first answer for the query, and while nothing is typed. */
  hits: SearchHit[] | null;
  /** The last search failed: its message, shown instead of results. */
  error: string | null;
  /** Focus the box: bumped by the shortcuts. */
  focusRequest: number;
  /** The message a result opened at: scrolled to and marked once. */
  target: { conversationId: string; messageId: string } | null;
  setQuery(query: string): void;
  setScope(scope: string | null): void;
  setAnswer(hits: SearchHit[] | null, error?: string | null): void;
  requestFocus(scope: string | null): void;
  setTarget(target: SearchState['target']): void;
  clear(): void;
}

export const useSearch = create<SearchState>((set) => ({
  query: '',
  scope: null,
  hits: null,
  error: null,
  focusRequest: 0,
  target: null,
  setQuery: (query) => set(query.trim() === '' ? { query, hits: null, error: null } : { query }),
  setScope: (scope) => set({ scope }),
  setAnswer: (hits, error = null) => set({ hits, error }),
  requestFocus: (scope) => set((s) => ({ scope, focusRequest: s.focusRequest + 1 })),
  setTarget: (target) => set({ target }),
  clear: () => set({ query: '', scope: null, hits: null, error: null }),
}));
