import { useEffect } from 'react';
import { isNarrowLayout } from '../lib/layout.js';
import { useSearch } from '../search-store.js';
import { useStore } from '../store.js';

/** Ctrl/Cmd+K: search everything; Ctrl/Cmd+F in a conversation: search in it (as Signal and Element do). */
export function useSearchShortcuts(selectedId: string | null): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const key = e.key.toLowerCase();
      if (key !== 'k' && !(key === 'f' && selectedId !== null)) return;
      e.preventDefault();
      // The search box is in the list, which a narrow window shows only once the conversation closes.
      if (isNarrowLayout()) useStore.getState().select(null);
      useSearch.getState().requestFocus(key === 'k' ? null : selectedId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedId]);
}
