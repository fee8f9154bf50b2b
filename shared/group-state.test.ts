import { beforeAll, describe, expect, it } from 'vitest';
import { generateIdentity, loadSodium } from './crypto.js';
import { groupIdFor, newGroupSalt, signGroupState, supersedes, verifyGroupState } from './group-state.js';
import { GroupId, SignedGroupState } from './payload.js';

beforeAll(async () => {
  await loadSodium();
});

describe('a group state signed by its owner', () => {
  it('verifies as signed, and not once any part of it changes', () => {
    const owner = generateIdentity();
    const salt = newGroupSalt();
    const body = { group: groupIdFor(owner.publicKey, salt), owner: 'alice', ownerKey: owner.publicKey, salt, version: 3, name: 'Team', members: ['alice', 'bob'] };
    const state = signGroupState(body, owner.secretKey);
    expect(GroupId.parse(state.group)).toBe(state.group);
    expect(SignedGroupState.parse(state)).toEqual(state);
    expect(verifyGroupState(state)).toBe(true);
    const other = generateIdentity();
    const changed = [
      { ...state, owner: 'mallory' },
      { ...state, version: 4 },
      { ...state, name: 'Other' },
      { ...state, members: ['alice', 'bob', 'mallory'] },
      { ...state, members: ['bob', 'alice'] },
      { ...state, salt: newGroupSalt() },
      // Signed by another key: the id is not that key's.
      signGroupState({ ...body, ownerKey: other.publicKey }, other.secretKey),
    ];
    for (const forged of changed) expect(verifyGroupState(forged)).toBe(false);
  });

  it('orders states by version, then by signature, and a state never supersedes itself', () => {
    const owner = generateIdentity();
    const salt = newGroupSalt();
    const at = (version: number, members: string[]) =>
      signGroupState({ group: groupIdFor(owner.publicKey, salt), owner: 'alice', ownerKey: owner.publicKey, salt, version, name: 'T', members }, owner.secretKey);
    const [v1, v2, v2b] = [at(1, ['alice']), at(2, ['alice', 'bob']), at(2, ['alice', 'carol'])];
    expect(supersedes(v2, v1)).toBe(true);
    expect(supersedes(v1, v2)).toBe(false);
    expect(supersedes(v2, v2)).toBe(false);
    expect(supersedes(v2, v2b)).not.toBe(supersedes(v2b, v2));
  });
});
