// Changing a group from this device: create, add, remove, leave. Each change is applied here and
// sent, as the group's new state, to its old and new members alike. Adding and removing are the
// owner's: the new state is signed with this account's key (core/groups.ts says why).
import { MAX_RECIPIENTS, Username } from '../../shared/protocol.js';
import { GroupName, type GroupAction, type SignedGroupState } from '../../shared/payload.js';
import type { Conversation } from '../../shared/ipc.js';
import type { IdentityKeyPair } from '../../shared/crypto.js';
import { groupIdFor, newGroupSalt, signGroupState } from '../../shared/group-state.js';
import { newId } from '../../shared/ids.js';
import type { History } from '../history.js';
import { applyGroupChange, type GroupRules } from '../groups.js';
import type { Directory } from '../e2e/directory.js';
import { RelayError } from '../relay/error.js';
import type { Conversations } from './conversations.js';
import type { Emit } from './events.js';
import { isRetryable, type Outbox } from './outbox.js';

export interface GroupAdminDeps {
  me: string;
  /** This account's key pair: it signs the groups this account owns. */
  account: IdentityKeyPair;
  rules: GroupRules;
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
    const salt = newGroupSalt();
    const state = this.sign({ group: groupIdFor(this.d.account.publicKey, salt), salt, version: 0, name: title, members: [this.d.me, ...invited] });
    // The member list says who is in; subjects would repeat it (and a 256-member change is sealed 255 times).
    return this.change(state.group, 'create', state.members, [], title, [], state);
  }

  async add(groupId: string, members: string[]): Promise<Conversation> {
    const { group, state } = this.owned(groupId);
    const added = [...new Set(members.map((m) => Username.parse(m)))].filter((m) => !group.members.includes(m));
    if (added.length === 0) return group;
    await this.requireAccounts(added, group.members.length + added.length);
    const next = this.sign({ ...state, version: state.version + 1, name: group.title, members: [...group.members, ...added] });
    return this.change(groupId, 'add', next.members, added, group.title, [], next);
  }

  async remove(groupId: string, member: string): Promise<Conversation> {
    const removed = Username.parse(member);
    if (removed === this.d.me) return this.leave(groupId);
    const group = this.d.conversations.requireGroup(groupId);
    if (!group.members.includes(removed)) return group;
    const state = this.d.rules.states.get(groupId);
    if (!state) {
      // A group made by an earlier release: any member removes, as then.
      return this.change(groupId, 'remove', group.members.filter((m) => m !== removed), [removed], group.title, [removed]);
    }
    this.requireOwner(state);
    const next = this.sign({ ...state, version: state.version + 1, name: group.title, members: group.members.filter((m) => m !== removed) });
    return this.change(groupId, 'remove', next.members, [removed], group.title, [removed], next);
  }

  async leave(groupId: string): Promise<Conversation> {
    const group = this.d.conversations.requireGroup(groupId);
    return this.change(groupId, 'leave', group.members.filter((m) => m !== this.d.me), [this.d.me], group.title);
  }

  /** The group and its state, when this account owns it; otherwise the error to show. */
  private owned(groupId: string): { group: Conversation; state: SignedGroupState } {
    const group = this.d.conversations.requireGroup(groupId);
    const state = this.d.rules.states.get(groupId);
    if (!state) throw new RelayError('legacy_group', 'this group was made by an earlier version of Warbler: make a new group to add people');
    this.requireOwner(state);
    return { group, state };
  }

  private requireOwner(state: SignedGroupState): void {
    if (state.owner !== this.d.me) throw new RelayError('not_owner', `only ${state.owner} can add or remove members`, undefined, { owner: state.owner });
  }

  private sign(body: Pick<SignedGroupState, 'group' | 'salt' | 'version' | 'name' | 'members'>): SignedGroupState {
    const { me, account } = this.d;
    return signGroupState({ group: body.group, owner: me, ownerKey: account.publicKey, salt: body.salt, version: body.version, name: body.name, members: body.members }, account.secretKey);
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
    state?: SignedGroupState,
  ): Promise<Conversation> {
    const { history, outbox, me } = this.d;
    const messageId = newId();
    const sentAt = Date.now();
    const before = history.conversation(groupId)?.members ?? [];
    history.durable(() => {
      const line = applyGroupChange(history, this.d.rules, {
        groupId, name, action, subjects, actor: me, messageId, sentAt, serverTime: null, fromRelay: false, ...(state ? { state } : {}),
      });
      if (line) this.d.emit('message', line);
      const recipients = this.d.conversations.others([...new Set([...before, ...members, ...alsoTell])]);
      outbox.add(recipients, { kind: 'group', group: groupId, name, action, subjects, ...(state ? { state } : { members }) }, { id: messageId, sentAt });
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
