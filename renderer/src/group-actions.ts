// Groups: create, change membership, leave. Each returns the group as core now has it.
import type { Conversation } from '../../shared/ipc.js';
import { invoke } from './api.js';
import { selectConversation } from './actions.js';
import { useStore } from './store.js';

const state = () => useStore.getState();

export async function createGroup(name: string, members: string[]): Promise<Conversation> {
  const conversation = await invoke('groups:create', { name: name.trim(), members });
  state().putConversation(conversation);
  selectConversation(conversation.id);
  return conversation;
}

export async function addMembers(conversationId: string, members: string[]): Promise<void> {
  state().putConversation(await invoke('groups:add', { conversationId, members }));
}

export async function removeMember(conversationId: string, member: string): Promise<void> {
  state().putConversation(await invoke('groups:remove', { conversationId, member }));
}

export async function leaveGroup(conversationId: string): Promise<void> {
  state().putConversation(await invoke('groups:leave', { conversationId }));
}
