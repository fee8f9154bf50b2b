// Blocking people and message requests, through a real relay: a blocked person's messages never
// show and they hear nothing back (no receipts, typing or presence); an unblock restores it all; a
// block reaches the blocker's other device; a stranger's first message is a request until accepted.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { ChatMessage, Presence } from '../../shared/ipc.js';
import { httpUrl, useCleanups, waitFor } from '../helpers.js';
import { threePeople } from '../people.js';

const cleanups = useCleanups();

/** What a client received from the relay, and the typing it was shown. */
function watch(client: WarblerClient) {
  const received: ChatMessage[] = [];
  const typing: string[] = [];
  client.on('received', (m) => received.push(m));
  client.on('typing', (t) => t.typing && typing.push(t.username));
  return { received, typing };
}

/**
 * `reader` has stored and acked everything queued for it before `writer`'s marker (the relay takes
 * one device's acks in order), and the relay has queued any receipt those acks made.
 */
async function caughtUp(writer: WarblerClient, reader: WarblerClient): Promise<void> {
  const marker = await writer.send(reader.username, `marker ${Date.now()}`);
  await waitFor(() => writer.message(marker.id)?.state === 'delivered', 10_000, `${reader.username} acked the marker`);
}

describe('blocking, through a real relay', () => {
  it("drops a blocked person's messages and sends them nothing; unblocking restores both", async () => {
    const { alice, bob, carol } = await threePeople(cleanups);
    // Carol and bob know each other: she wrote first, so bob sees her presence.
    await carol.send('bob', 'hi bob');
    await bob.send('carol', 'hi carol');
    await waitFor(() => carol.message((bob.messages('carol', 1)[0] as ChatMessage).id), 10_000, 'carol has it');
    const bobSaw: Presence[] = [];
    bob.on('presence', (p) => p.username === 'carol' && bobSaw.push(p));
    const carolSees = watch(carol);

    carol.people.setBlocked('bob', true);
    expect(carol.conversation('bob')).toMatchObject({ blocked: true });
    // The relay takes her presence back: bob is told she is offline, with no last seen.
    await waitFor(() => bobSaw.at(-1)?.state === 'offline' && bobSaw.at(-1)?.lastSeen === null, 10_000, 'presence withdrawn');
    await expect(carol.send('bob', 'are you there?')).rejects.toMatchObject({ code: 'blocked' });

    const unread = carol.conversation('bob')?.unread;
    const hidden = await bob.send('carol', 'you cannot see this');
    await bob.setTyping('carol', true);
    await caughtUp(alice, carol);
    // Bob's own queue, after anything carol's acks queued for him.
    await caughtUp(alice, bob);
    expect(carol.message(hidden.id)).toBeUndefined();
    expect(carol.messages('bob', 50).map((m) => m.text)).not.toContain('you cannot see this');
    expect(carolSees.received.map((m) => m.sender)).not.toContain('bob');
    expect(carol.conversation('bob')?.unread).toBe(unread);
    expect(carolSees.typing).toEqual([]);
    expect(carol.presenceList().map((p) => p.username)).not.toContain('bob');
    // No delivery receipt: the message stays "sent" on bob's side.
    expect(bob.message(hidden.id)?.state).toBe('sent');
    expect(bobSaw.every((p) => p.state === 'offline')).toBe(true);

    // Carol writes to a group bob is in: the group hears her, and bob still does not see her presence.
    const group = await carol.createGroup('Book club', ['bob', 'alice']);
    await carol.send(group.id, 'hello club');
    await caughtUp(alice, bob);
    expect(bobSaw.every((p) => p.state === 'offline')).toBe(true);
    // Bob's group message does not show for carol either; alice's does.
    await waitFor(() => bob.conversation(group.id), 10_000, 'bob knows the group');
    const inGroup = await bob.send(group.id, 'from bob to the club');
    const fromAlice = await alice.send(group.id, 'from alice to the club');
    await waitFor(() => carol.message(fromAlice.id), 10_000, "alice's group message");
    expect(carol.message(inGroup.id)).toBeUndefined();
    // What he changes of the group itself still applies, or carol's group would part from the others'.
    bob.setDisappearing(group.id, 3600_000);
    await waitFor(() => carol.conversation(group.id)?.expiresIn === 3600_000, 10_000, 'the group timer he set');

    carol.people.setBlocked('bob', false);
    expect(carol.conversation('bob')).toMatchObject({ blocked: false });
    const seen = await bob.send('carol', 'can you see this?');
    await waitFor(() => carol.message(seen.id), 10_000, 'shown again');
    await waitFor(() => bob.message(seen.id)?.state === 'delivered', 10_000, 'a delivery receipt again');
    carol.markRead('bob');
    await waitFor(() => bob.message(seen.id)?.state === 'read', 10_000, 'a read receipt again');
    await bob.setTyping('carol', true);
    await waitFor(() => carolSees.typing.includes('bob'), 10_000, 'typing shown again');
    // Writing to him again is what shows him her presence (presence is consent).
    await carol.send('bob', 'welcome back');
    await waitFor(() => bobSaw.at(-1)?.state === 'online', 10_000, 'presence again');
  });

  it("reaches the blocker's other device, which then drops the blocked person's messages too", async () => {
    const { dir, relay, alice, alice2, bob, carol } = await threePeople(cleanups);
    await bob.send('alice', 'hello alice');
    await waitFor(() => alice2.conversation('bob'), 10_000, "alice's other device knows the chat");
    alice.people.setBlocked('bob', true);
    await waitFor(() => alice2.people.isBlocked('bob'), 10_000, 'blocked there');
    expect(alice2.conversation('bob')).toMatchObject({ blocked: true });

    const hidden = await bob.send('alice', 'not shown on either device');
    await caughtUp(carol, alice2);
    expect(alice2.message(hidden.id)).toBeUndefined();
    expect(alice.message(hidden.id)).toBeUndefined();

    // A device linked later learns it too, with the conversations.
    const linking = await WarblerClient.link(path.join(dir, 'alice3'), httpUrl(relay));
    await alice.approveDevice(linking.code);
    const alice3 = await linking.done;
    cleanups.push(() => alice3.close());
    alice3.start();
    await waitFor(() => alice3.people.isBlocked('bob'), 10_000, 'blocked on the new device');

    alice2.people.setBlocked('bob', false);
    await waitFor(() => !alice.people.isBlocked('bob'), 10_000, 'unblocked there');
    const shown = await bob.send('alice', 'shown again');
    for (const device of [alice, alice2]) await waitFor(() => device.message(shown.id), 10_000, 'shown again');
  });
});

describe('message requests, through a real relay', () => {
  it("a stranger's first message is a request without read receipts; accepted, on both devices, it is a normal chat", async () => {
    const { alice, alice2, bob, carol } = await threePeople(cleanups);
    const first = await carol.send('alice', 'hello, we have not met');
    for (const device of [alice, alice2]) await waitFor(() => device.conversation('carol')?.request, 10_000, 'a request');
    alice.markRead('carol');
    expect(alice.unreadCounts().chat).toBe(0);
    // No read receipt to a stranger: her message stays delivered.
    const second = await carol.send('alice', 'anyone?');
    await waitFor(() => alice.outboxEmpty(), 10_000, "alice's outbox sent");
    await caughtUp(bob, carol);
    expect(carol.message(first.id)?.state).toBe('delivered');

    alice2.people.accept('carol');
    await waitFor(() => alice.conversation('carol')?.request === false, 10_000, 'accepted on the other device');
    // What was read while it was a request is told once accepted.
    await waitFor(() => carol.message(first.id)?.state === 'read', 10_000, 'read receipt on accepting');
    await waitFor(() => alice.message(second.id), 10_000, 'second message');
    alice.markRead('carol');
    await waitFor(() => carol.message(second.id)?.state === 'read', 10_000, 'read receipts once accepted');
    await alice.send('carol', 'nice to meet you');
    await waitFor(() => carol.messages('alice', 10).some((m) => m.text === 'nice to meet you'), 10_000, 'her answer');
  });

  it('a group co-member is never a request; a deleted request comes back with the next message; writing back accepts', async () => {
    const { alice, alice2, bob, carol } = await threePeople(cleanups);
    const group = await bob.createGroup('Climbing', ['alice', 'carol']);
    await waitFor(() => carol.conversation(group.id), 10_000, 'carol in the group');
    const fromCarol = await carol.send('alice', 'hi from the climbing group');
    await waitFor(() => alice.message(fromCarol.id), 10_000, 'received');
    expect(alice.conversation('carol')?.request).toBe(false);

    // Once bob has left, alice is a stranger to him: her first message is a request.
    await bob.leaveGroup(group.id);
    await waitFor(() => alice2.conversation(group.id)?.members.includes('bob') === false, 10_000, 'bob left');
    const hello = await alice2.send('bob', 'hello bob');
    await waitFor(() => bob.conversation('alice')?.request, 10_000, 'a request for bob');
    bob.people.deleteRequest('alice');
    expect(bob.conversation('alice')).toBeUndefined();
    expect(bob.message(hello.id)).toBeUndefined();
    const again = await alice2.send('bob', 'hello again');
    await waitFor(() => bob.conversation('alice')?.request, 10_000, 'a request again');
    expect(bob.messages('alice', 10).map((m) => m.id)).toEqual([again.id]);
    const answer = await bob.send('alice', 'hi alice');
    expect(bob.conversation('alice')?.request).toBe(false);
    await waitFor(() => alice.message(answer.id), 10_000, 'his answer');
    bob.markRead('alice');
    await waitFor(() => alice2.message(again.id)?.state === 'read', 10_000, 'read receipts go to her');
  });
});
