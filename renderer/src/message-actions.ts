// Acting on one message from the page: reply, react, edit, delete, copy, forward, and going to a quoted one.
// The host applies each at once and sends it when it can; its 'message' and 'message-removed'
// events bring the result here, as they do for what others do.
import type { ChatMessage } from '../../shared/ipc.js';
import { ACTION_WINDOW_MS } from '../../shared/payload.js';
import { invoke } from './api.js';
import { useCompose } from './compose-store.js';
import { useStore } from './store.js';

/** Signal's quick reactions. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🙏'] as const;

/** A message of this person's that may still be edited or deleted for everyone. */
export function changeable(message: ChatMessage, now = Date.now()): boolean {
  return message.outgoing && message.kind === 'text' && message.deletedAt === undefined && now - message.sentAt <= ACTION_WINDOW_MS;
}

/** This person's reaction to the message, if any. */
export function ownReaction(message: ChatMessage): string | null {
  const me = useStore.getState().profile?.username;
  return message.reactions?.find((r) => r.from === me)?.emoji ?? null;
}

/** Reacts with the emoji; choosing one's current reaction again takes it back. */
export async function toggleReaction(message: ChatMessage, emoji: string): Promise<void> {
  const next = ownReaction(message) === emoji ? null : emoji;
  useStore.getState().putMessages([await invoke('messages:react', { messageId: message.id, emoji: next })]);
}

export function startReply(message: ChatMessage): void {
  useCompose.getState().setMode(message.conversationId, { kind: 'reply', message });
}

export function startEdit(message: ChatMessage): void {
  useCompose.getState().setMode(message.conversationId, { kind: 'edit', message });
}

export function stopComposeMode(conversationId: string): void {
  useCompose.getState().setMode(conversationId, undefined);
}

export async function saveEdit(message: ChatMessage, text: string): Promise<void> {
  useStore.getState().putMessages([await invoke('messages:edit', { messageId: message.id, text })]);
}

export async function deleteMessage(message: ChatMessage, forEveryone: boolean): Promise<void> {
  await invoke('messages:delete', { messageId: message.id, forEveryone });
  if (!forEveryone) useStore.getState().removeMessage(message.conversationId, message.id);
}

/** Sends a copy of the message to the conversation; the copy comes back as a 'message' event too. */
export async function forwardMessage(message: ChatMessage, conversationId: string): Promise<void> {
  useStore.getState().putMessages([await invoke('messages:forward', { messageId: message.id, conversationId })]);
}

export function copyText(message: ChatMessage): Promise<void> {
  return navigator.clipboard.writeText(message.text);
}

/** Sets the conversation's disappearing-messages timer for everyone in it (null: off). */
export async function setDisappearing(conversationId: string, expiresIn: number | null): Promise<void> {
  useStore.getState().putMessages([await invoke('conversations:setTimer', { conversationId, expiresIn })]);
}

export function versionsOf(message: ChatMessage) {
  return invoke('messages:versions', { messageId: message.id });
}
