import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { History } from './history.js';
import { HistoryKey } from './vault/history-key.js';
import { GroupStates } from './group-states.js';
import { applyGroupChange, nextMembers, type GroupChange, type GroupRules } from './groups.js';
import { generateIdentity, loadSodium, type IdentityKeyPair } from '../shared/crypto.js';
import { groupIdFor, newGroupSalt, signGroupState } from '../shared/group-state.js';
import type { SignedGroupState } from '../shared/payload.js';
import { tempDir } from '../tests/helpers.js';

let n = 0;
const keys: Record<string, IdentityKeyPair> = {};
beforeAll(async () => {
  await loadSodium();
  for (const name of ['alice', 'bob', 'carol', 'dave', 'mallory']) keys[name] = generateIdentity();
});

const change = (over: Partial<GroupChange> & Pick<GroupChange, 'groupId'>): GroupChange => ({
  name: 'Team',
  action: 'add',
  subjects: [],
  actor: 'alice',
  messageId: `m${n++}`,
  sentAt: 0,
  serverTime: n,
  fromRelay: true,
  ...over,
});

/** One person's device: its history, and every account key pinned as the relay gave it. */
function device(me: string): { history: History; rules: GroupRules; apply: (c: GroupChange) => ReturnType<typeof applyGroupChange> } {
  const history = new History(path.join(tempDir(), `${me}.sqlite`), HistoryKey.generate());
  const rules: GroupRules = { me, states: new GroupStates(history.database), accountKeyOf: (u) => keys[u]?.publicKey };
  return { history, rules, apply: (c) => applyGroupChange(history, rules, c) };
}

/** A state as `signer` signs it, claiming `owner` (the same person, unless forged). */
function state(members: string[], version: number, over: { owner?: string; signer?: string; salt?: string; group?: string } = {}): SignedGroupState {
  const owner = over.owner ?? 'alice';
  const signer = keys[over.signer ?? owner]!;
  const salt = over.salt ?? SALT;
  const group = over.group ?? groupIdFor(signer.publicKey, salt);
  return signGroupState({ group, owner, ownerKey: signer.publicKey, salt, version, name: 'Team', members }, signer.secretKey);
}
let SALT = '';
beforeAll(() => {
  SALT = newGroupSalt();
});

describe('groups with an owner', () => {
  it('every device takes the owner’s changes in version order, and no older state over a newer one', () => {
    const v0 = state(['alice', 'bob', 'carol'], 0);
    const G = v0.group;
    const v1 = state(['alice', 'bob'], 1);
    const v2 = state(['alice', 'bob', 'dave'], 2);
    const bob = device('bob');
    expect(bob.apply(change({ groupId: G, action: 'create', state: v0 }))).not.toBeNull();
    expect(bob.history.conversation(G)).toMatchObject({ members: ['alice', 'bob', 'carol'], owner: 'alice', active: true });
    // The add overtook the remove: the remove, older, changes nothing.
    expect(bob.apply(change({ groupId: G, action: 'add', subjects: ['dave'], state: v2 }))).not.toBeNull();
    expect(bob.apply(change({ groupId: G, action: 'remove', subjects: ['carol'], state: v1 }))).toBeNull();
    expect(bob.history.conversation(G)?.members).toEqual(['alice', 'bob', 'dave']);
    // Played back later (a new message id), the creation does not bring carol back.
    expect(bob.apply(change({ groupId: G, action: 'create', state: v0 }))).toBeNull();
    expect(bob.history.conversation(G)?.members).toEqual(['alice', 'bob', 'dave']);

    const carol = device('carol');
    carol.apply(change({ groupId: G, action: 'create', state: v0 }));
    carol.apply(change({ groupId: G, action: 'remove', subjects: ['carol'], state: v1 }));
    expect(carol.history.conversation(G)).toMatchObject({ active: false });
  });

  it('a removed member cannot forge a create or an add, signed or not, for the group or a lookalike', () => {
    const v0 = state(['alice', 'bob', 'mallory'], 0);
    const G = v0.group;
    const dave = device('dave');
    const bob = device('bob');
    bob.apply(change({ groupId: G, action: 'create', state: v0 }));
    bob.apply(change({ groupId: G, action: 'remove', subjects: ['mallory'], state: state(['alice', 'bob'], 1) }));

    const forgeries: GroupChange[] = [
      // No signature: a device that does not know the group takes none.
      change({ groupId: G, actor: 'mallory', action: 'create' }),
      // Mallory's own key for alice's group: the id is not hers.
      change({ groupId: G, actor: 'mallory', action: 'add', subjects: ['dave'], state: state(['alice', 'bob', 'mallory', 'dave'], 9, { group: G, signer: 'mallory', owner: 'mallory' }) }),
      // A group bound to mallory's key that names alice as its owner: alice's pinned key is another.
      change({ groupId: groupIdFor(keys.mallory!.publicKey, SALT), actor: 'mallory', action: 'create', state: state(['alice', 'bob', 'dave'], 0, { signer: 'mallory', owner: 'alice' }) }),
      // Alice's own older state, passed on by mallory: only the owner hands out her states.
      change({ groupId: G, actor: 'mallory', action: 'create', state: v0 }),
      // The newest state, but with a member added after alice signed it.
      change({ groupId: G, actor: 'alice', action: 'add', subjects: ['dave'], state: { ...state(['alice', 'bob'], 2), members: ['alice', 'bob', 'dave'] } }),
    ];
    for (const forged of forgeries) {
      expect(dave.apply({ ...forged, messageId: `d${n++}` })).toBeNull();
      expect(bob.apply({ ...forged, messageId: `b${n++}` })).toBeNull();
    }
    expect(dave.history.conversations()).toEqual([]);
    expect(bob.history.conversation(G)).toMatchObject({ members: ['alice', 'bob'], owner: 'alice' });
    expect(bob.apply(change({ groupId: G, actor: 'mallory', action: 'leave', subjects: ['mallory'] }))).toBeNull();
  });

  it('takes the owner’s state for a group it knows without one (an own device of an earlier release told of it)', () => {
    const v1 = state(['alice', 'bob', 'dave'], 1);
    const bob = device('bob');
    bob.history.ensureConversation({ id: v1.group, kind: 'group', title: 'Team', members: ['alice', 'bob'] }, 0);
    expect(bob.apply(change({ groupId: v1.group, action: 'add', subjects: ['dave'], state: v1 }))).not.toBeNull();
    expect(bob.history.conversation(v1.group)).toMatchObject({ owner: 'alice', members: ['alice', 'bob', 'dave'] });
  });

  it('takes no state signed by a key other than the one pinned for its owner', () => {
    const v0 = state(['alice', 'bob'], 0);
    const bob = device('bob');
    bob.rules.accountKeyOf = (u) => (u === 'alice' ? keys.carol!.publicKey : keys[u]?.publicKey);
    expect(bob.apply(change({ groupId: v0.group, action: 'create', state: v0 }))).toBeNull();
    expect(bob.history.conversation(v0.group)).toBeUndefined();
  });

  it('lets anyone leave, but only on their own behalf, and settles two of the owner’s devices’ changes on one', () => {
    const v0 = state(['alice', 'bob', 'carol'], 0);
    const G = v0.group;
    const bob = device('bob');
    bob.apply(change({ groupId: G, action: 'create', state: v0 }));
    expect(bob.apply(change({ groupId: G, actor: 'carol', action: 'leave', subjects: ['alice'] }))).toBeNull();
    expect(bob.apply(change({ groupId: G, actor: 'carol', action: 'leave', subjects: ['carol'] }))).not.toBeNull();
    expect(bob.history.conversation(G)?.members).toEqual(['alice', 'bob']);

    // Alice's phone adds dave while her laptop adds carol back: both sign version 1.
    const [x, y] = [state(['alice', 'bob', 'dave'], 1), state(['alice', 'bob', 'carol'], 1)];
    const winner = x.signature > y.signature ? x : y;
    const other = device('bob');
    other.apply(change({ groupId: G, action: 'create', state: v0 }));
    bob.apply(change({ groupId: G, action: 'add', state: x }));
    bob.apply(change({ groupId: G, action: 'add', state: y }));
    other.apply(change({ groupId: G, action: 'add', state: y }));
    other.apply(change({ groupId: G, action: 'add', state: x }));
    expect(bob.history.conversation(G)?.members).toEqual(winner.members);
    expect(other.history.conversation(G)?.members).toEqual(winner.members);
  });
});

describe('groups made by an earlier release', () => {
  const LEGACY = '#AAAAAAAAAAAAAAAAAAAAAA';
  function legacy(me: string) {
    const d = device(me);
    d.history.ensureConversation({ id: LEGACY, kind: 'group', title: 'Team', members: ['alice', 'bob', 'carol'] }, 0);
    return d;
  }

  it('converge when two members change them at once, whatever order the changes arrive in', () => {
    const removeCarol = change({ groupId: LEGACY, action: 'remove', subjects: ['carol'], actor: 'alice' });
    const addDave = change({ groupId: LEGACY, action: 'add', subjects: ['dave'], actor: 'bob' });
    const a = legacy('alice');
    const b = legacy('bob');
    a.apply(removeCarol);
    a.apply(addDave);
    b.apply(addDave);
    b.apply(removeCarol);
    expect(a.history.conversation(LEGACY)?.members).toEqual(['alice', 'bob', 'dave']);
    expect(b.history.conversation(LEGACY)).toMatchObject({ members: ['alice', 'bob', 'dave'] });
    expect(b.history.conversation(LEGACY)?.owner).toBeUndefined();
  });

  it('refuse non-members, a signed state (their ids are bound to no key), and joining a device that does not know them', () => {
    expect(nextMembers(['alice', 'bob'], { action: 'add', subjects: ['eve'], actor: 'eve' })).toBeNull();
    expect(nextMembers(['alice', 'bob'], { action: 'leave', subjects: ['alice'], actor: 'bob' })).toBeNull();
    const b = legacy('bob');
    expect(b.apply(change({ groupId: LEGACY, action: 'add', subjects: ['mallory'], actor: 'mallory' }))).toBeNull();
    expect(b.apply(change({ groupId: LEGACY, action: 'add', state: state(['alice', 'bob', 'mallory'], 5, { group: LEGACY }) }))).toBeNull();
    b.apply(change({ groupId: LEGACY, action: 'rename', name: 'Renamed', actor: 'alice' }));
    expect(b.history.conversation(LEGACY)).toMatchObject({ title: 'Renamed' });
    const dave = device('dave');
    expect(dave.apply(change({ groupId: LEGACY, action: 'add', subjects: ['dave'] }))).toBeNull();
  });
});
