// Group membership as every member's device keeps it: the latest change from a current member wins.
// The relay knows nothing of groups; removing someone means no one seals messages for them again.
import type { ChatMessage, GroupEvent } from '../../shared/ipc.js';
import type { GroupAction } from '../../shared/protocol.js';
import type { History } from './history.js';

export interface GroupChange {
  groupId: string;
  name: string;
  members: string[];
  action: GroupAction;
  subjects: string[];
  actor: string;
  messageId: string;
  sentAt: number;
  serverTime: number | null;
}

/**
 * Applies a change to the local history and returns the event line it adds, or null when the
 * change is not accepted: the group is unknown and the change does not add this account, or the
 * actor is not a member (someone already removed cannot change the group any more).
 */
export function applyGroupChange(history: History, me: string, change: GroupChange): ChatMessage | null {
  const known = history.conversation(change.groupId);
  if (known) {
    if (known.kind !== 'group' || !known.members.includes(change.actor)) return null;
  } else {
    const joins = change.action === 'create' || change.action === 'add';
    if (!joins || !change.members.includes(me)) return null;
    history.ensureConversation({ id: change.groupId, kind: 'group', title: change.name, members: change.members }, change.serverTime ?? change.sentAt);
  }
  history.updateGroup(change.groupId, change.name, change.members, change.members.includes(me));
  const event: GroupEvent = { action: change.action, actor: change.actor, subjects: change.subjects, name: change.name };
  const line: ChatMessage = {
    id: change.messageId,
    conversationId: change.groupId,
    sender: change.actor,
    outgoing: change.actor === me,
    kind: 'event',
    text: describe(event),
    event,
    sentAt: change.sentAt,
    serverTime: change.serverTime,
    state: change.serverTime === null ? 'sending' : 'sent',
  };
  return history.addMessage(line, { read: true }) ? line : null;
}

/** Plain-text form, for previews and the CLI; the app renders `event` in the reader's language. */
export function describe(event: GroupEvent): string {
  const names = event.subjects.join(', ');
  switch (event.action) {
    case 'create':
      return `${event.actor} created the group “${event.name}”`;
    case 'add':
      return `${event.actor} added ${names}`;
    case 'remove':
      return `${event.actor} removed ${names}`;
    case 'leave':
      return `${event.actor} left the group`;
    case 'rename':
      return `${event.actor} renamed the group to “${event.name}”`;
  }
}
