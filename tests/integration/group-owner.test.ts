// A group's owner, and no one else, changes who is in it: every device checks the owner's signed
// state (shared/group-state.ts). Through a real relay, with a hostile client as a removed member.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { ClientParts } from '../../core/client/parts.js';
import { GroupStates } from '../../core/group-states.js';
import type { Profile } from '../../core/profile.js';
import { groupIdFor, newGroupSalt, signGroupState } from '../../shared/group-state.js';
import { httpUrl, onlineClient, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { sendForged } from '../hostile-client.js';

const cleanups = useCleanups();

async function setup(names: string[]) {
  const dir = tempDir();
  const relay = await testRelay(path.join(dir, 'relay'));
  cleanups.push(() => relay.close());
  const users: Record<string, WarblerClient> = {};
  for (const name of names) {
    users[name] = (await onlineClient(path.join(dir, name), relay, name)).client;
    cleanups.push(() => users[name]!.close());
  }
  return { dir, relay, users };
}

const texts = (client: WarblerClient, conversationId: string) =>
  client.messages(conversationId, 100).filter((m) => m.kind === 'text').map((m) => m.text);
const statesOf = (client: WarblerClient) => new GroupStates((client as unknown as { parts: ClientParts }).parts.history.database);

describe('a group’s owner', () => {
  it('alone adds and removes; a removed member forges neither a create nor an add', async () => {
    const { users } = await setup(['alice', 'bob', 'mallory', 'dave']);
    const { alice, bob, mallory, dave } = users as Record<string, WarblerClient>;
    const group = await alice!.createGroup('Private', ['bob', 'mallory']);
    expect(group.owner).toBe('alice');
    await waitFor(() => bob!.conversation(group.id) && mallory!.conversation(group.id), 5000, 'members have it');
    expect(bob!.conversation(group.id)).toMatchObject({ owner: 'alice', members: ['alice', 'bob', 'mallory'] });

    await expect(bob!.addMembers(group.id, ['dave'])).rejects.toMatchObject({ code: 'not_owner', params: { owner: 'alice' } });
    await expect(bob!.removeMember(group.id, 'mallory')).rejects.toMatchObject({ code: 'not_owner' });

    const kept = statesOf(mallory!).get(group.id)!;
    await alice!.removeMember(group.id, 'mallory');
    await waitFor(() => bob!.conversation(group.id)?.members.length === 2 && mallory!.conversation(group.id)?.active === false, 5000, 'removed');

    // Mallory runs a modified client: unsigned, signed with her own account key (the one bob and
    // dave have pinned for her), a lookalike group claiming alice as owner, and alice's own old state.
    const base = { kind: 'group' as const, group: group.id, name: 'Private', members: ['alice', 'bob', 'mallory', 'dave'] };
    const own = (mallory as unknown as { profile: Profile }).profile.account;
    const salt = newGroupSalt();
    const signedByMallory = signGroupState({ group: group.id, owner: 'mallory', ownerKey: own.publicKey, salt, version: 9, name: 'Private', members: base.members }, own.secretKey);
    const lookalike = signGroupState(
      { group: groupIdFor(own.publicKey, salt), owner: 'alice', ownerKey: own.publicKey, salt, version: 0, name: 'Private', members: base.members },
      own.secretKey,
    );
    await sendForged(mallory!, ['bob', 'dave'], { ...base, action: 'create', subjects: [] });
    await sendForged(mallory!, ['bob', 'dave'], { ...base, action: 'add', subjects: ['dave', 'mallory'], state: signedByMallory });
    await sendForged(mallory!, ['bob', 'dave'], { ...base, group: lookalike.group, action: 'create', subjects: [], state: lookalike });
    await sendForged(mallory!, ['bob', 'dave'], { ...base, action: 'create', subjects: [], state: kept });
    await sendForged(mallory!, ['bob', 'dave'], { kind: 'text', chat: { type: 'group', id: group.id }, text: 'still here' });
    await waitFor(() => mallory!.outboxEmpty(), 5000, 'forgeries sent');
    // A message sent after them arrives after them: once it is in, they were all refused.
    await alice!.send('dave', 'after the forgeries');
    await alice!.send('bob', 'after the forgeries');
    await waitFor(() => texts(dave!, 'alice').length === 1 && texts(bob!, 'alice').length === 1, 5000, 'marker');
    expect(dave!.conversations().map((c) => c.id)).toEqual(['alice']);
    expect(bob!.conversation(group.id)).toMatchObject({ owner: 'alice', members: ['alice', 'bob'] });
    expect(bob!.conversation(lookalike.group)).toBeUndefined();
    expect(texts(bob!, group.id)).toEqual([]);

    await alice!.addMembers(group.id, ['dave']);
    await waitFor(() => dave!.conversation(group.id)?.active, 5000, 'dave added');
    expect(dave!.conversation(group.id)).toMatchObject({ owner: 'alice', members: ['alice', 'bob', 'dave'] });
    await dave!.send(group.id, 'hello all');
    await waitFor(() => texts(alice!, group.id).includes('hello all') && texts(bob!, group.id).includes('hello all'), 5000, 'dave writes');
    expect(texts(mallory!, group.id)).toEqual([]);
  });

  it('changes the group from any of the owner’s devices, and every device settles on the newest state', async () => {
    const { dir, relay, users } = await setup(['alice', 'bob', 'carol']);
    const { alice, bob, carol } = users as Record<string, WarblerClient>;
    const group = await alice!.createGroup('Pals', ['bob']);
    const linking = await WarblerClient.link(path.join(dir, 'alice-laptop'), httpUrl(relay));
    await alice!.approveDevice(linking.code);
    const laptop = await linking.done;
    cleanups.push(() => laptop.close());
    laptop.start();
    await laptop.waitOnline(5000);
    await waitFor(() => laptop.conversation(group.id), 5000, 'contacts');
    expect(laptop.conversation(group.id)?.owner).toBe('alice');

    await laptop.addMembers(group.id, ['carol']);
    const everyone = [alice!, bob!, carol!, laptop];
    await waitFor(() => everyone.every((c) => c.conversation(group.id)?.members.length === 3), 5000, 'carol added from the laptop');
    await alice!.removeMember(group.id, 'bob');
    await waitFor(() => everyone.every((c) => c.conversation(group.id)?.members.join() === 'alice,carol'), 5000, 'bob removed from the phone');
    expect(bob!.conversation(group.id)?.active).toBe(false);
    expect(statesOf(carol!).get(group.id)?.version).toBe(2);
    expect(statesOf(laptop).get(group.id)).toEqual(statesOf(alice!).get(group.id));
  });
});
