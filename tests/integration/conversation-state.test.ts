// How a person keeps conversations, through a real relay: pinned, archived, muted and marked unread
// on one device are so on the person's other device; the draft stays on its own.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { MUTED_ALWAYS } from '../../shared/payload.js';
import { httpUrl, useCleanups, waitFor } from '../helpers.js';
import { threePeople } from '../people.js';

const cleanups = useCleanups();

describe('conversation state, through a real relay', () => {
  it("pin, archive, mute and mark unread reach the person's other device; a message brings an archived chat back unless muted", async () => {
    const { alice, alice2, bob } = await threePeople(cleanups);
    await alice.openConversation('bob');
    await bob.send('alice', 'hello alice');
    await waitFor(() => alice2.conversation('bob'), 10_000, "alice's other device knows the chat");

    const pinned = alice.changeConversation('bob', { pinned: true });
    expect(pinned.pinnedAt).toBeGreaterThan(0);
    await waitFor(() => alice2.conversation('bob')?.pinnedAt !== null, 10_000, 'pinned there');

    alice.changeConversation('bob', { archived: true });
    await waitFor(() => alice2.conversation('bob')?.archived, 10_000, 'archived there');
    // Still pinned: a change carries the whole state.
    expect(alice2.conversation('bob')?.pinnedAt).not.toBeNull();
    await bob.send('alice', 'you there?');
    for (const c of [alice, alice2]) await waitFor(() => c.conversation('bob')?.archived === false, 10_000, 'back in the list');

    alice2.changeConversation('bob', { archived: true, mutedUntil: MUTED_ALWAYS });
    await waitFor(() => alice.conversation('bob')?.mutedUntil === MUTED_ALWAYS && alice.conversation('bob')?.archived, 10_000, 'muted and archived');
    const quiet = await bob.send('alice', 'muted, so it stays archived');
    for (const c of [alice, alice2]) await waitFor(() => c.message(quiet.id), 10_000, 'received');
    for (const c of [alice, alice2]) expect(c.conversation('bob')).toMatchObject({ archived: true, mutedUntil: MUTED_ALWAYS });

    alice.markRead('bob');
    alice.changeConversation('bob', { markedUnread: true });
    await waitFor(() => alice2.conversation('bob')?.markedUnread, 10_000, 'marked there');
    // Opened on the other device: no longer marked, on both.
    alice2.markRead('bob');
    expect(alice2.conversation('bob')?.markedUnread).toBe(false);
    await waitFor(() => alice.conversation('bob')?.markedUnread === false, 10_000, 'seen there');
  });

  it("a group this person left is still archived and unpinned on their other device", async () => {
    const { alice, alice2 } = await threePeople(cleanups);
    const group = await alice.createGroup('book club', ['bob']);
    alice.changeConversation(group.id, { pinned: true });
    await waitFor(() => alice2.conversation(group.id)?.pinnedAt, 10_000, 'pinned there');
    await alice.leaveGroup(group.id);
    await waitFor(() => alice2.conversation(group.id)?.active === false, 10_000, 'left there too');

    alice.changeConversation(group.id, { pinned: false, archived: true });
    await waitFor(() => alice2.conversation(group.id)?.archived, 10_000, 'archived there');
    expect(alice2.conversation(group.id)?.pinnedAt).toBeNull();
  });

  it('pins at most four; a draft stays on its device, across a restart', async () => {
    const { dir, relay, alice, alice2 } = await threePeople(cleanups);
    await alice.openConversation('bob');
    const groups = [];
    for (const name of ['one', 'two', 'three', 'four']) groups.push(await alice.createGroup(name, ['bob']));
    for (const g of groups) alice.changeConversation(g.id, { pinned: true });
    expect(() => alice.changeConversation('bob', { pinned: true })).toThrow(expect.objectContaining({ code: 'too_many_pins' }));
    alice.changeConversation(groups[0]!.id, { pinned: false });
    expect(alice.changeConversation('bob', { pinned: true }).pinnedAt).not.toBeNull();
    // Pinned in the order they were: the list shows them so.
    expect(alice.conversations().filter((c) => c.pinnedAt !== null).sort((a, b) => a.pinnedAt! - b.pinnedAt!).map((c) => c.title)).toEqual(['two', 'three', 'four', 'bob']);

    alice.setDraft('bob', 'half a thought');
    await alice.close();
    const again = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: httpUrl(relay) });
    cleanups.push(() => again.close());
    expect(again.conversation('bob')?.draft).toBe('half a thought');
    expect(alice2.conversation('bob')?.draft ?? null).toBeNull();
    again.setDraft('bob', '');
    expect(again.conversation('bob')?.draft).toBeNull();
  });
});
