import { useEffect } from 'react';
import { useSearch } from '../search-store.js';

/** Ctrl/Cmd+K: search everything; Ctrl/Cmd+F in a conversation: search in it (as Signal and Element do). */
export function useSearchShortcuts(selectedId: string | null): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
      const key = e.key.toLowerCase();
      if (key === 'k') {
        e.preventDefault();
        useSearch.getState().requestFocus(null);
      } else if (key === 'f' && selectedId !== null) {
        e.preventDefault();
        useSearch.getState().requestFocus(selectedId);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selectedId]);
}
