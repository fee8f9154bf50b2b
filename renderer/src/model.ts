// Pure helpers for the store: ordering and merging of conversations and messages.
import type { ChatMessage, Conversation } from '../../shared/ipc.js';
import { MESSAGE_STATE_PROGRESS as progress } from '../../shared/message-state.js';

/** Newest activity first. */
/** Pinned first, in the order they were pinned; then the newest first. */
export function sortConversations(list: readonly Conversation[]): Conversation[] {
  const pin = (c: Conversation) => c.pinnedAt ?? Number.POSITIVE_INFINITY;
  return [...list].sort((a, b) => pin(a) - pin(b) || b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
}

export function upsertConversation(list: readonly Conversation[], conversation: Conversation): Conversation[] {
  const rest = list.filter((c) => c.id !== conversation.id);
  return sortConversations([...rest, conversation]);
}

/**
 * Relay order (serverTime) first, never the sender's clock; messages the relay has not accepted yet
 * (serverTime null) go last, in the order this device wrote them. Array#sort is stable, so exact
 * ties keep the order core delivered them in.
 */
export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  if (a.serverTime !== null && b.serverTime !== null) return a.serverTime - b.serverTime;
  if (a.serverTime === null && b.serverTime === null) return a.sentAt - b.sentAt;
  return a.serverTime === null ? 1 : -1;
}


export function mergeMessage(existing: ChatMessage, incoming: ChatMessage): ChatMessage {
  const serverTime = incoming.serverTime ?? existing.serverTime;
  const state = progress[incoming.state] >= progress[existing.state] ? incoming.state : existing.state;
  return { ...incoming, serverTime, state };
}

/** Upsert by id (never duplicate), then keep the list ordered. Returns the same array if nothing changed. */
export function upsertMessages(list: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  const next = [...list];
  const index = new Map(next.map((m, i) => [m.id, i]));
  let changed = false;
  for (const message of incoming) {
    const at = index.get(message.id);
    if (at === undefined) {
      index.set(message.id, next.length);
      next.push(message);
      changed = true;
    } else {
      const current = next[at];
      const merged = current ? mergeMessage(current, message) : message;
      if (!current || !sameMessage(current, merged)) {
        next[at] = merged;
        changed = true;
      }
    }
  }
  return changed ? next.sort(compareMessages) : (list as ChatMessage[]);
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  return (
    a.state === b.state &&
    a.serverTime === b.serverTime &&
    a.text === b.text &&
    a.sentAt === b.sentAt &&
    a.outgoing === b.outgoing &&
    a.sender === b.sender &&
    a.conversationId === b.conversationId &&
    a.kind === b.kind &&
    a.editedAt === b.editedAt &&
    a.deletedAt === b.deletedAt &&
    a.replyTo?.text === b.replyTo?.text &&
    sameReactions(a, b)
  );
}

function sameReactions(a: ChatMessage, b: ChatMessage): boolean {
  const x = a.reactions ?? [];
  const y = b.reactions ?? [];
  return x.length === y.length && x.every((r, i) => r.from === y[i]?.from && r.emoji === y[i]?.emoji);
}
