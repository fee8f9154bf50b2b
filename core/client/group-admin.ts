// Changing a group from this device: create, add, remove, leave. Each change is applied here and
// sent, as the group's new state, to its old and new members alike.
import { MAX_RECIPIENTS, Username } from '../../shared/protocol.js';
import { GroupName, type GroupAction } from '../../shared/payload.js';
import type { Conversation } from '../../shared/ipc.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import { applyGroupChange } from '../groups.js';
import type { Directory } from '../e2e/directory.js';
import { RelayError } from '../relay/error.js';
import type { Conversations } from './conversations.js';
import type { Emit } from './events.js';
import { isRetryable, type Outbox } from './outbox.js';

export interface GroupAdminDeps {
  me: string;
  history: History;
  directory: Pick<Directory, 'devices'>;
  conversations: Pick<Conversations, 'requireGroup' | 'others'>;
  outbox: Pick<Outbox, 'add' | 'flush' | 'takeError'>;
  emit: Emit;
  /** This change parted this account from these people (it removed them, or left). */
  partedFrom: (people: string[]) => void;
}

export class GroupAdmin {
  constructor(private readonly d: GroupAdminDeps) {}

  async create(name: string, members: string[]): Promise<Conversation> {
    const title = GroupName.parse(name);
    const invited = [...new Set(members.map((m) => Username.parse(m)))].filter((m) => m !== this.d.me);
    await this.requireAccounts(invited, invited.length + 1);
    // The member list says who is in; subjects would repeat it (and a 256-member change is sealed 255 times).
    return this.change(`#${newId()}`, 'create', [this.d.me, ...invited], [], title);
  }

  async add(groupId: string, members: string[]): Promise<Conversation> {
    const group = this.d.conversations.requireGroup(groupId);
    const added = [...new Set(members.map((m) => Username.parse(m)))].filter((m) => !group.members.includes(m));
    if (added.length === 0) return group;
    await this.requireAccounts(added, group.members.length + added.length);
    return this.change(groupId, 'add', [...group.members, ...added], added, group.title);
  }

  async remove(groupId: string, member: string): Promise<Conversation> {
    const group = this.d.conversations.requireGroup(groupId);
    const removed = Username.parse(member);
    if (!group.members.includes(removed)) return group;
    if (removed === this.d.me) return this.leave(groupId);
    return this.change(groupId, 'remove', group.members.filter((m) => m !== removed), [removed], group.title, [removed]);
  }

  async leave(groupId: string): Promise<Conversation> {
    const group = this.d.conversations.requireGroup(groupId);
    return this.change(groupId, 'leave', group.members.filter((m) => m !== this.d.me), [this.d.me], group.title);
  }

  private async requireAccounts(usernames: string[], groupSize: number): Promise<void> {
    if (groupSize > MAX_RECIPIENTS) throw new RelayError('too_many', `a group has at most ${MAX_RECIPIENTS} members`, undefined, { max: MAX_RECIPIENTS });
    for (const username of usernames) await this.d.directory.devices(username, true);
  }

  private async change(
    groupId: string,
    action: GroupAction,
    members: string[],
    subjects: string[],
    name: string,
    alsoTell: string[] = [],
  ): Promise<Conversation> {
    const { history, outbox, me } = this.d;
    const messageId = newId();
    const sentAt = Date.now();
    const before = history.conversation(groupId)?.members ?? [];
    history.durable(() => {
      const line = applyGroupChange(history, me, {
        groupId, name, members, action, subjects, actor: me, messageId, sentAt, serverTime: null, fromRelay: false,
      });
      if (line) this.d.emit('message', line);
      const recipients = this.d.conversations.others([...new Set([...before, ...members, ...alsoTell])]);
      outbox.add(recipients, { kind: 'group', group: groupId, name, members, action, subjects }, { id: messageId, sentAt });
    });
    const conversation = history.conversation(groupId);
    if (!conversation) throw new Error(`group ${groupId} vanished`);
    this.d.emit('conversation', conversation);
    await outbox.flush();
    if (action === 'remove' || action === 'leave') this.d.partedFrom(action === 'leave' ? before : subjects);
    // Offline, the change waits in the outbox; refused for good, the caller must hear it.
    const failure = outbox.takeError(messageId);
    if (failure && !isRetryable(failure)) throw failure;
    return history.conversation(groupId) ?? conversation;
  }
}
