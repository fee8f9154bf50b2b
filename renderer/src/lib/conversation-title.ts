// What a conversation is called on screen: its title, except the direct conversation with oneself,
// which is "Note to self" in the UI's language (core keeps the username: it speaks no language).
import type { Conversation } from '../../../shared/ipc.js';

export function isNoteToSelf(conversation: Pick<Conversation, 'id' | 'kind'>, me: string | undefined): boolean {
  return conversation.kind === 'direct' && conversation.id === me;
}

export function conversationTitle(conversation: Pick<Conversation, 'id' | 'kind' | 'title'>, me: string | undefined, noteToSelf: string): string {
  return isNoteToSelf(conversation, me) ? noteToSelf : conversation.title;
}
