// Deleting a conversation reaches the person's other devices through a real relay: a chat, a left
// group and a message request go from each of them, and a message that reached another device
// after what the deleting device held stays there. A device linked later knows which chats are
// still message requests.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { httpUrl, useCleanups, waitFor } from '../helpers.js';
import { threePeople } from '../people.js';

const cleanups = useCleanups();

describe('deleting a conversation, on every device of its person', () => {
  it('a chat deleted on one device is deleted on the other, search terms and all; a new message brings it back, as a chat, on both', async () => {
    const { alice, alice2, bob } = await threePeople(cleanups);
    const hello = await bob.send('alice', 'the heron came back to the pond');
    const answer = await alice.send('bob', 'I saw it too');
    await waitFor(() => alice2.message(hello.id) && alice2.message(answer.id), 10_000, "alice's other device has both");
    expect(alice2.search('heron')).toHaveLength(1);

    alice.deleteConversation('bob');
    await waitFor(() => alice2.conversation('bob') === undefined, 10_000, 'deleted there');
    expect(alice2.message(hello.id)).toBeUndefined();
    expect(alice2.message(answer.id)).toBeUndefined();
    expect(alice2.search('heron')).toEqual([]);

    const again = await bob.send('alice', 'are you there?');
    for (const device of [alice, alice2]) {
      await waitFor(() => device.message(again.id), 10_000, 'the new message');
      expect(device.messages('bob', 50).map((m) => m.id)).toEqual([again.id]);
      // She wrote to him before: he is no stranger, and this is no message request.
      expect(device.conversation('bob')?.request).toBe(false);
    }
  });

  it('what reached the other device after what the deleting device held stays there', async () => {
    const { dir, relay, alice, alice2, bob } = await threePeople(cleanups);
    const old = await bob.send('alice', 'an old message');
    await waitFor(() => alice.message(old.id) && alice2.message(old.id), 10_000, 'both devices have it');

    // Alice's first device is away while bob writes again; there, she deletes the chat.
    await alice.close();
    const later = await bob.send('alice', 'a later message');
    await waitFor(() => alice2.message(later.id), 10_000, 'the later message on the device that stayed');
    const away = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: httpUrl(relay) });
    cleanups.push(() => away.close());
    away.deleteConversation('bob');
    away.start();

    await waitFor(() => alice2.message(old.id) === undefined, 10_000, 'the old message deleted there');
    expect(alice2.messages('bob', 50).map((m) => m.id)).toEqual([later.id]);
    // The device that deleted gets the later message too, once back: the same chat on both.
    await waitFor(() => away.message(later.id), 10_000, 'the later message where it was deleted');
    expect(away.messages('bob', 50).map((m) => m.id)).toEqual([later.id]);
  });

  it('a left group deleted on one device is deleted on the other; the others keep it', async () => {
    const { alice, alice2, bob } = await threePeople(cleanups);
    const group = await bob.createGroup('Choir', ['alice']);
    const note = await bob.send(group.id, 'rehearsal at eight');
    await waitFor(() => alice2.message(note.id), 10_000, 'the group on her other device');
    await alice.leaveGroup(group.id);
    await waitFor(() => alice2.conversation(group.id)?.active === false, 10_000, 'left there too');

    alice.deleteConversation(group.id);
    await waitFor(() => alice2.conversation(group.id) === undefined, 10_000, 'deleted there');
    expect(alice2.message(note.id)).toBeUndefined();
    expect(bob.conversation(group.id)).toBeDefined();
  });
});

describe('message requests on every device', () => {
  it('a request deleted on one device is deleted on the other', async () => {
    const { alice, alice2, carol } = await threePeople(cleanups);
    const first = await carol.send('alice', 'hello, we have not met');
    for (const device of [alice, alice2]) await waitFor(() => device.conversation('carol')?.request, 10_000, 'a request');

    alice2.people.deleteRequest('carol');
    await waitFor(() => alice.conversation('carol') === undefined, 10_000, 'deleted on the first device');
    expect(alice.message(first.id)).toBeUndefined();

    // A new message from her is a new request, on both.
    await carol.send('alice', 'hello again');
    for (const device of [alice, alice2]) await waitFor(() => device.conversation('carol')?.request, 10_000, 'a request again');
  });

  it('a device linked later sees open requests as requests, and accepted chats as chats', async () => {
    const { dir, relay, alice, bob, carol } = await threePeople(cleanups);
    await bob.send('alice', 'hi, a stranger here');
    await carol.send('alice', 'and another one');
    await waitFor(() => alice.conversation('bob')?.request && alice.conversation('carol')?.request, 10_000, 'two requests');
    alice.people.accept('bob');

    const linking = await WarblerClient.link(path.join(dir, 'alice3'), httpUrl(relay));
    await alice.approveDevice(linking.code);
    const alice3 = await linking.done;
    cleanups.push(() => alice3.close());
    alice3.start();
    await waitFor(() => alice3.conversation('bob') && alice3.conversation('carol'), 10_000, 'both chats on the new device');
    expect(alice3.conversation('carol')?.request).toBe(true);
    expect(alice3.conversation('bob')?.request).toBe(false);
  });
});
