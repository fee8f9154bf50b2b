// Searching the history from the page, and opening a result in its conversation.
import type { SearchHit } from '../../shared/ipc.js';
import { scheduleMarkRead, selectConversation } from './actions.js';
import { errorMessage, invoke } from './api.js';
import { parseQuery } from './lib/search-query.js';
import { useSearch } from './search-store.js';
import { useStore } from './store.js';

/** Messages around an opened result: as many as a page of the conversation. */
const AROUND_LIMIT = 200;
const RESULTS = 50;

/** Searches for what is typed now; an answer to what is no longer typed (or where) is dropped. */
export async function runSearch(): Promise<void> {
  const { query, scope } = useSearch.getState();
  const { words, from, hasFile } = parseQuery(query);
  if (words === '' && from === null && !hasFile) return;
  const stillAsked = () => {
    const now = useSearch.getState();
    return now.query === query && now.scope === scope;
  };
  try {
    const hits = await invoke('messages:search', {
      query: words,
      limit: RESULTS,
      ...(scope ? { conversationId: scope } : {}),
      ...(from !== null ? { from } : {}),
      ...(hasFile ? { hasAttachment: true } : {}),
    });
    if (stillAsked()) useSearch.getState().setAnswer(hits);
  } catch (error) {
    if (stillAsked()) useSearch.getState().setAnswer(null, errorMessage(error));
  }
}

export function openResult(hit: SearchHit): Promise<void> {
  return jumpToMessage(hit.conversation, hit.id);
}

/**
 * Opens the conversation at one of its messages (a search result, a quoted message), marked: as
 * any opening when the message is held; else with the page around it alone (the latest page would
 * be loaded for nothing).
 */
export async function jumpToMessage(id: string, messageId: string): Promise<void> {
  const target = () => {
    useStore.getState().setFollowing(false);
    useSearch.getState().setTarget({ conversationId: id, messageId });
  };
  if (useStore.getState().messages[id]?.some((m) => m.id === messageId)) {
    selectConversation(id);
    target();
    return;
  }
  useStore.getState().select(id);
  scheduleMarkRead(id, 0);
  target();
  try {
    const page = await invoke('messages:list', { conversationId: id, around: messageId, limit: AROUND_LIMIT });
    if (page.length === 0) {
      // Not (or no longer) in this history: the conversation opens at its newest messages instead.
      useSearch.getState().setTarget(null);
      selectConversation(id);
      return;
    }
    useStore.getState().showAround(id, page);
  } catch (error) {
    console.warn('opening a search result failed; showing the latest messages', error);
    selectConversation(id);
  }
}
