// How a person keeps a conversation, from the page: pinned, archived, muted, marked unread, and its
// draft. The host syncs all but the draft to the person's other devices.
import type { ConversationState } from '../../shared/payload.js';
import { invoke } from './api.js';
import { useStore } from './store.js';

export async function changeConversation(conversationId: string, patch: Partial<ConversationState>): Promise<void> {
  useStore.getState().putConversation(await invoke('conversations:change', { conversationId, ...patch }));
}

/** Marked unread, the conversation is left: it stays unread until opened again. */
export async function markUnread(conversationId: string): Promise<void> {
  await changeConversation(conversationId, { markedUnread: true });
  useStore.getState().select(null);
}

export function saveDraft(conversationId: string, draft: string): Promise<null> {
  return invoke('conversations:setDraft', { conversationId, draft });
}

/** Deletes the conversation and everything in it from this device (a group once left). */
export async function deleteConversation(conversationId: string): Promise<void> {
  await invoke('conversations:delete', { conversationId });
  useStore.getState().dropConversation(conversationId);
}
