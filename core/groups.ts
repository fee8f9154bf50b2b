// Group membership as every member's device keeps it. Changes travel as deltas (who was added,
// removed, who left) applied to each device's own list, so concurrent changes by different
// members converge; only a current member may change the group. The relay knows nothing of groups:
// removing someone means no one seals messages for them again.
import type { ChatMessage, GroupEvent } from '../shared/ipc.js';
import type { GroupAction } from '../shared/payload.js';
import type { History } from './history.js';

export interface GroupChange {
  groupId: string;
  name: string;
  /** The full list as the actor saw it: used only by a device that does not know the group yet. */
  members: string[];
  action: GroupAction;
  subjects: string[];
  actor: string;
  messageId: string;
  sentAt: number;
  serverTime: number | null;
  /** Came through the relay (another member's change, or one from this account's other device). */
  fromRelay: boolean;
}

/** The member list after a change, from the list this device has; null when the change is not valid. */
export function nextMembers(current: string[], change: Pick<GroupChange, 'action' | 'subjects' | 'actor'>): string[] | null {
  if (!current.includes(change.actor)) return null;
  switch (change.action) {
    case 'create':
      return null;
    case 'add':
      return [...current, ...change.subjects.filter((s) => !current.includes(s))];
    case 'remove':
      return current.filter((m) => !change.subjects.includes(m));
    case 'leave':
      return change.subjects.length === 1 && change.subjects[0] === change.actor ? current.filter((m) => m !== change.actor) : null;
    case 'rename':
      return current;
  }
}

/**
 * Applies a change to the local history and returns the event line it adds, or null when it is not
 * accepted: already applied (a redelivery), the actor is not a member, or the group is unknown and
 * the change does not bring this account in.
 */
export function applyGroupChange(history: History, me: string, change: GroupChange): ChatMessage | null {
  if (history.message(change.messageId)) return null;
  const known = history.conversation(change.groupId);
  let members: string[] | null;
  if (known) {
    if (known.kind !== 'group') return null;
    members = nextMembers(known.members, change);
  } else {
    const joins = (change.action === 'create' || change.action === 'add') && change.members.includes(me);
    members = joins && change.members.includes(change.actor) ? change.members : null;
    if (members) {
      history.ensureConversation({ id: change.groupId, kind: 'group', title: change.name, members }, change.serverTime ?? change.sentAt);
    }
  }
  if (!members) return null;
  const name = change.action === 'rename' || change.action === 'create' || !known ? change.name : known.title;
  history.updateGroup(change.groupId, name, members, members.includes(me));
  const event: GroupEvent = { action: change.action, actor: change.actor, subjects: change.subjects, name };
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
  history.addMessage(line, { read: true, fromRelay: change.fromRelay });
  return line;
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
