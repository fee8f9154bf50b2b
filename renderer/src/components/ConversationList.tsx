import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Conversation } from '../../../shared/ipc.js';
import { msUntilTomorrow } from '../lib/list-time.js';
import { useStore } from '../store.js';
import { ConversationRow } from './list/ConversationRow.js';
import { onListKey } from '../lib/list-keys.js';
import '../list.css';

/** Today's date, moved on at midnight, so "Yesterday" and the weekdays stay true in a list left open. */
function useToday(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setTimeout(() => setNow(new Date()), msUntilTomorrow(now) + 1000);
    return () => clearTimeout(timer);
  }, [now]);
  return now;
}

export function ConversationList() {
  const { t } = useTranslation();
  const conversations = useStore((s) => s.conversations);
  const selectedId = useStore((s) => s.selectedId);
  const [showArchived, setShowArchived] = useState(false);
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const now = useToday();
  const items = useRef(new Map<string, HTMLButtonElement>());
  const left = useRef(selectedId);
  // A conversation closed (back in a narrow window, marked unread) and the focus went with it: to its
  // row, rather than to the top of the page. Focus that went somewhere (Ctrl+K's search box) stays.
  useEffect(() => {
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (selectedId === null && left.current !== null && lost) items.current.get(left.current)?.focus();
    left.current = selectedId;
  }, [selectedId]);
  const itemRef = (conversationId: string) => (button: HTMLButtonElement | null) => {
    if (button) items.current.set(conversationId, button);
    else items.current.delete(conversationId);
  };
  // Archived ones are out of the list; the one in view stays, so it does not vanish under the reader.
  const listed = conversations.filter((c) => !c.archived || c.id === selectedId);
  const archived = conversations.filter((c) => c.archived && c.id !== selectedId);
  const shown = showArchived ? [...listed, ...archived] : listed;
  // Tab reaches one row (the last one focused, else the open one, else the first); arrows the others.
  const tabStop = [focusedId, selectedId].find((id) => id !== null && shown.some((c) => c.id === id)) ?? shown[0]?.id;
  const list = (rows: Conversation[]) => (
    <ul className="conversation-list">
      {rows.map((c) => (
        <ConversationRow
          key={c.id}
          ref={itemRef(c.id)}
          conversation={c}
          selected={c.id === selectedId}
          tabStop={c.id === tabStop}
          now={now}
          onFocus={() => setFocusedId(c.id)}
        />
      ))}
    </ul>
  );

  return (
    <nav className="conversations" aria-label={t('conversations.heading')} onKeyDown={onListKey}>
      {conversations.length === 0 ? <p className="muted conversations-empty">{t('conversations.empty')}</p> : list(listed)}
      {archived.length > 0 && (
        <>
          <button type="button" className="link-button archived-toggle" aria-expanded={showArchived} onClick={() => setShowArchived((v) => !v)}>
            {showArchived ? t('conversationState.hideArchived') : t('conversationState.archived', { count: archived.length })}
          </button>
          {showArchived && list(archived)}
        </>
      )}
    </nav>
  );
}
