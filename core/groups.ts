// Group membership as every member's device keeps it. A group made by this release has an owner:
// only the owner's account adds, removes and renames, each time with a new state it signs
// (shared/group-state.ts) that every device checks, so a removed member, or anyone who learnt the
// group's id, can neither forge a "create" nor an "add". Anyone leaves on their own. A group made by
// an earlier release has no owner: its members change it as deltas, among the devices that know it.
// The relay knows nothing of groups: removing someone means no one seals messages for them again.
import type { ChatMessage, GroupEvent } from '../shared/ipc.js';
import type { GroupAction, SignedGroupState } from '../shared/payload.js';
import { supersedes, verifyGroupState } from '../shared/group-state.js';
import type { GroupStates } from './group-states.js';
import type { History } from './history.js';

export interface GroupChange {
  groupId: string;
  name: string;
  action: GroupAction;
  subjects: string[];
  actor: string;
  messageId: string;
  sentAt: number;
  serverTime: number | null;
  /** Came through the relay (another member's change, or one from this account's other device). */
  fromRelay: boolean;
  /** The owner's signed state after the change (absent from a leave, and for a group without an owner). */
  state?: SignedGroupState;
}

export interface GroupRules {
  me: string;
  states: Pick<GroupStates, 'get' | 'put'>;
  /** The account key this device has pinned for a person (its own for this account). */
  accountKeyOf(username: string): string | undefined;
}

/** The member list of a group without an owner after a change, from the list this device has; null when the change is not valid. */
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

/** Whether a state is this group's, signed by the key its id names, and newer than `current` (the one kept here). */
export function isNewerState(groupId: string, state: SignedGroupState, current: SignedGroupState | undefined): boolean {
  if (state.group !== groupId || !verifyGroupState(state)) return false;
  return !current || (current.ownerKey === state.ownerKey && supersedes(state, current));
}

/**
 * Whether a signed state from the relay may replace what this device has: it is newer, and the
 * owner's own act (the owner sent it, and the owner's key is the one pinned for them). A device
 * that does not know the group takes it only when it names this account as a member.
 */
function acceptsState(rules: GroupRules, change: GroupChange, state: SignedGroupState, current: SignedGroupState | undefined, known: boolean): boolean {
  if (change.actor !== state.owner || rules.accountKeyOf(state.owner) !== state.ownerKey) return false;
  if (!isNewerState(change.groupId, state, current)) return false;
  // Known without a state: only this owner's key could have made its id (a group of an earlier
  // release has an id bound to no key, so nothing verifies for it). Unknown: it must bring us in.
  return current !== undefined || known || state.members.includes(rules.me);
}

/**
 * Applies a change to the local history and returns the event line it adds, or null when it is not
 * accepted: already applied (a redelivery), not the owner's, older than what this device has, or
 * the group is unknown and the change does not bring this account in.
 */
export function applyGroupChange(history: History, rules: GroupRules, change: GroupChange): ChatMessage | null {
  const { me } = rules;
  if (history.message(change.messageId)) return null;
  const known = history.conversation(change.groupId);
  if (known && known.kind !== 'group') return null;
  const current = rules.states.get(change.groupId);
  let members: string[] | null = null;
  let name = known?.title ?? change.name;
  if (change.action === 'leave') {
    members = known ? nextMembers(known.members, change) : null;
  } else if (change.state) {
    if (acceptsState(rules, change, change.state, current, known !== undefined)) {
      if (!known) history.ensureConversation({ id: change.groupId, kind: 'group', title: change.state.name, members: change.state.members }, change.serverTime ?? change.sentAt);
      rules.states.put(change.state);
      ({ members, name } = change.state);
    }
  } else if (known && !current) {
    members = nextMembers(known.members, change);
    if (change.action === 'rename') name = change.name;
  }
  if (!members) return null;
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
