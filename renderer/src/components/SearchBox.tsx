import { Paperclip, X } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { useConversationTitle } from '../hooks/useConversationTitle.js';
import { useTranslation } from 'react-i18next';
import { parseQuery, toggleHasFile } from '../lib/search-query.js';
import { runSearch } from '../search-actions.js';
import { useSearch } from '../search-store.js';
import { useStore } from '../store.js';

/** The search starts this long after the last key, not on every one. */
const TYPING_PAUSE_MS = 150;
const SHORTCUT = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl+K';

/** Above the conversation list: searches the whole history, or one conversation (Ctrl/Cmd+F there). */
export function SearchBox() {
  const { t } = useTranslation();
  const query = useSearch((s) => s.query);
  const scope = useSearch((s) => s.scope);
  const focusRequest = useSearch((s) => s.focusRequest);
  const scoped = useStore((s) => (scope ? s.conversations.find((c) => c.id === scope) : undefined));
  const titleOf = useConversationTitle();
  const scopeTitle = scope ? (scoped ? titleOf(scoped) : scope) : null;
  const input = useRef<HTMLInputElement>(null);
  const hasFile = parseQuery(query).hasFile;

  useEffect(() => {
    if (focusRequest === 0) return;
    input.current?.focus();
    input.current?.select();
  }, [focusRequest]);

  useEffect(() => {
    if (query.trim() === '') return;
    const timer = setTimeout(() => void runSearch(), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, scope]);

  return (
    <div className="search-box" role="search">
      <input
        ref={input}
        type="search"
        aria-label={t('search.label')}
        placeholder={t('search.placeholder', { shortcut: SHORTCUT })}
        value={query}
        onChange={(e) => useSearch.getState().setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') useSearch.getState().clear();
        }}
      />
      {query.trim() !== '' && (
        <button
          type="button"
          className="search-filter small"
          aria-pressed={hasFile}
          aria-label={t('search.withFilesLabel')}
          onClick={() => {
            useSearch.getState().setQuery(toggleHasFile(query));
            input.current?.focus();
          }}
        >
          <Paperclip size={14} aria-hidden="true" /> {t('search.withFiles')}
        </button>
      )}
      {scopeTitle !== null && (
        <button
          type="button"
          className="search-scope small"
          aria-label={t('search.everywhere', { title: scopeTitle })}
          onClick={() => {
            useSearch.getState().setScope(null);
            input.current?.focus();
          }}
        >
          {t('search.scoped', { title: scopeTitle })} <X size={14} aria-hidden="true" />
        </button>
      )}
    </div>
  );
}
