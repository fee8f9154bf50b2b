// Blocking people and answering message requests, from the page. The host syncs both to the
// person's other devices (a deleted request stays deleted on this device only).
import { invoke } from './api.js';
import { useStore } from './store.js';

export async function setBlocked(username: string, blocked: boolean): Promise<void> {
  const conversation = await invoke('people:block', { username, blocked });
  if (conversation) useStore.getState().putConversation(conversation);
}

export async function acceptRequest(username: string): Promise<void> {
  useStore.getState().putConversation(await invoke('conversations:accept', { username }));
}

export async function deleteRequest(username: string): Promise<void> {
  await invoke('conversations:deleteRequest', { username });
  useStore.getState().dropConversation(username);
}
