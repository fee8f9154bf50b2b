// Groups, read state, several devices of one person, typing and presence — through a real relay.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient, type LinkInProgress } from '../../core/client.js';
import { authPayload, generateIdentity, sign } from '../../shared/crypto.js';
import type { Presence } from '../../shared/ipc.js';
import { httpUrl, onlineClient, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { relayValue } from '../relay-database.js';
import { sendForged } from '../hostile-client.js';
import { RawSocket } from '../raw-socket.js';

const cleanups = useCleanups();

async function setup(names: string[]) {
  const dir = tempDir();
  const relay = await testRelay(path.join(dir, 'relay'));
  cleanups.push(() => relay.close());
  const users: Record<string, Awaited<ReturnType<typeof onlineClient>>> = {};
  for (const name of names) {
    users[name] = await onlineClient(path.join(dir, name), relay, name);
    cleanups.push(() => users[name]!.client.close());
  }
  return { dir, relay, users };
}

const texts = (client: WarblerClient, conversationId: string) =>
  client.messages(conversationId, 500).filter((m) => m.kind === 'text').map((m) => m.text);

describe('groups', () => {
  it('three people chat; a removed member receives nothing new; membership changes appear for everyone', async () => {
    const { users } = await setup(['alice', 'bob', 'carol']);
    const { alice, bob, carol } = users as Record<string, Awaited<ReturnType<typeof onlineClient>>>;
    const group = await alice!.client.createGroup('Team', ['bob', 'carol']);
    expect(group).toMatchObject({ kind: 'group', title: 'Team', members: ['alice', 'bob', 'carol'], active: true });

    await alice!.client.send(group.id, 'hello team');
    await waitFor(() => texts(bob!.client, group.id).length === 1 && texts(carol!.client, group.id).length === 1, 5000, 'first');
    await bob!.client.send(group.id, 'hi from bob');
    await carol!.client.send(group.id, 'hi from carol');
    await waitFor(() => texts(alice!.client, group.id).length === 3, 5000, 'alice sees all');
    expect(texts(alice!.client, group.id)).toEqual(['hello team', 'hi from bob', 'hi from carol']);
    expect(bob!.client.conversation(group.id)).toMatchObject({ title: 'Team', members: ['alice', 'bob', 'carol'] });

    await alice!.client.removeMember(group.id, 'carol');
    await waitFor(() => carol!.client.conversation(group.id)?.active === false, 5000, 'carol told');
    await waitFor(() => bob!.client.conversation(group.id)?.members.length === 2, 5000, 'bob told');
    await alice!.client.send(group.id, 'without carol');
    await waitFor(() => texts(bob!.client, group.id).includes('without carol'), 5000, 'bob gets it');
    await new Promise((r) => setTimeout(r, 300));
    expect(texts(carol!.client, group.id)).not.toContain('without carol');
    await expect(carol!.client.send(group.id, 'let me back')).rejects.toThrow(/no longer a member/);

    const events = (c: WarblerClient) => c.messages(group.id, 50).filter((m) => m.kind === 'event').map((m) => m.text);
    expect(events(bob!.client)).toEqual(['alice created the group “Team”', 'alice removed carol']);
    expect(events(carol!.client)).toEqual(['alice created the group “Team”', 'alice removed carol']);

    await bob!.client.leaveGroup(group.id);
    await waitFor(() => alice!.client.conversation(group.id)?.members.length === 1, 5000, 'bob left');
    expect(events(alice!.client).at(-1)).toBe('bob left the group');
  });

  it('holds up to 256 members, and a message reaches every member’s device', async () => {
    const { dir, relay, users } = await setup(['alice']);
    const names: string[] = [];
    for (let i = 0; i < 256; i++) {
      const raw = await RawSocket.open(relay.url);
      await raw.register(`member${i}`);
      raw.close();
      names.push(`member${i}`);
    }
    const group = await users.alice!.client.createGroup('Everyone', names.slice(0, 255));
    expect(group.members).toHaveLength(256);
    const message = await users.alice!.client.send(group.id, 'hello, all 255 of you');
    expect(message.state).toBe('sent');
    const copies = (id: string) => relayValue(path.join(dir, 'relay'), 'SELECT count(DISTINCT device) AS n FROM envelopes WHERE message_id = ?', [id]);
    const [creation] = users.alice!.client.messages(group.id, 5).filter((m) => m.kind === 'event');
    // Both the group's creation and the message are sealed for every member's device: in the
    // relay's database once they have waited past its next checkpoints (before, in its journal).
    await waitFor(async () => (await copies(message.id)) === 255, 10_000, 'the copies in the relay database');
    expect(await copies(creation!.id)).toBe(255);
    expect(await copies(message.id)).toBe(255);
    await expect(users.alice!.client.addMembers(group.id, ['member255'])).rejects.toThrow(/at most 256 members/);
  });

  it('ignores a group change from someone who is not a member', async () => {
    const { users } = await setup(['alice', 'bob', 'mallory']);
    const group = await users.alice!.client.createGroup('Private', ['bob']);
    await waitFor(() => users.bob!.client.conversation(group.id), 5000, 'bob has the group');
    // Mallory forges a change for a group she is not in (she learnt its id somehow).
    await sendForged(users.mallory!.client, ['alice', 'bob'], {
      kind: 'group',
      group: group.id,
      name: 'Private',
      members: ['alice', 'bob', 'mallory'],
      action: 'add',
      subjects: ['mallory'],
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(users.bob!.client.conversation(group.id)?.members).toEqual(['alice', 'bob']);
  });
});

describe('read state', () => {
  it('moves a message to read when the recipient reads it', async () => {
    const { users } = await setup(['alice', 'bob']);
    const sent = await users.alice!.client.send('bob', 'read me');
    await waitFor(() => users.alice!.client.message(sent.id)?.state === 'delivered', 5000, 'delivered');
    // A stranger's first message is a request: read receipts go to her once bob accepts it.
    users.bob!.client.people.accept('alice');
    users.bob!.client.markRead('alice');
    await waitFor(() => users.alice!.client.message(sent.id)?.state === 'read', 5000, 'read');
  });
});

describe('several devices of one person', () => {
  it('links a new device with a code; both then see messages, sent messages, read state and contacts', async () => {
    const { dir, relay, users } = await setup(['alice', 'bob']);
    const alice = users.alice!.client;
    const bob = users.bob!.client;
    await alice.send('bob', 'before linking');
    const group = await alice.createGroup('Pals', ['bob']);

    const linking = await WarblerClient.link(path.join(dir, 'alice-laptop'), httpUrl(relay));
    expect(linking.code).toMatch(/^\d{18}$/);
    // The right device behind the wrong secret: refused, and the device may still be linked with the right one.
    const wrongSecret = linking.code.slice(0, 8) + String((Number(linking.code.slice(8)) + 1) % 1e10).padStart(10, '0');
    await expect(alice.approveDevice(wrongSecret)).rejects.toThrow(/is not the one showing it/);
    await alice.approveDevice(linking.code);
    const laptop = await linking.done;
    cleanups.push(() => laptop.close());
    expect(laptop.username).toBe('alice');
    laptop.start();
    await laptop.waitOnline(5000);

    // Contacts arrive from the approving device; history before the link does not (as Signal).
    await waitFor(() => laptop.conversation('bob') && laptop.conversation(group.id), 5000, 'contacts');
    expect(texts(laptop, 'bob')).toEqual([]);

    await bob.send('alice', 'to both devices');
    await waitFor(() => texts(laptop, 'bob').includes('to both devices') && texts(alice, 'bob').includes('to both devices'), 5000, 'both');
    await alice.send('bob', 'sent from the phone');
    await waitFor(() => texts(laptop, 'bob').includes('sent from the phone'), 5000, 'own sent message');
    expect(laptop.messages('bob', 10).find((m) => m.text === 'sent from the phone')?.outgoing).toBe(true);

    expect(laptop.conversation('bob')?.unread).toBe(1);
    alice.markRead('bob');
    await waitFor(() => laptop.conversation('bob')?.unread === 0, 5000, 'read on the other device');

    await laptop.send(group.id, 'from the laptop');
    await waitFor(() => texts(bob, group.id).includes('from the laptop') && texts(alice, group.id).includes('from the laptop'), 5000, 'group');
  });

  it('holds a group’s messages that reach a new device before the group does, and shows them once it does', async () => {
    const { dir, relay, users } = await setup(['alice', 'bob']);
    const phone = users.alice!.client;
    const group = await phone.createGroup('Early birds', ['bob']);
    await waitFor(() => users.bob!.client.conversation(group.id), 5000, 'bob in the group');
    const linking = await WarblerClient.link(path.join(dir, 'alice-laptop'), httpUrl(relay));
    // Approved, but the phone has not shared its conversations yet.
    await phone.approveDevice(linking.code, { share: false });
    const laptop = await linking.done;
    cleanups.push(() => laptop.close());
    const drained = laptop.waitDrained(5000);
    laptop.start();
    await users.bob!.client.send(group.id, 'before the laptop knows the group');
    await drained;
    await new Promise((r) => setTimeout(r, 300));
    expect(laptop.conversation(group.id)).toBeUndefined();

    await phone.shareConversations();
    await waitFor(() => texts(laptop, group.id).length === 1, 5000, 'replayed');
    expect(texts(laptop, group.id)).toEqual(['before the laptop knows the group']);
  });

  it('refuses wrong codes, and stops answering guesses after a few', async () => {
    const { relay, users } = await setup(['alice']);
    await expect(users.alice!.client.approveDevice('123456789012345678')).rejects.toThrow(/no device is waiting/);
    // Guesses pipelined on one connection: five are checked, the rest refused unseen.
    const raw = await RawSocket.open(relay.url);
    await raw.register('guesser');
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => raw.request({ type: 'link-lookup', id: `g${i}`, linkId: String(i).padStart(8, '0') })),
    );
    expect(answers.filter((a) => a.code === 'unknown_link')).toHaveLength(5);
    expect(answers.filter((a) => a.code === 'rate_limited')).toHaveLength(45);
    raw.close();
    // New connections of the same account do not reset the count: ten wrong codes per account.
    const identity = generateIdentity();
    const login = async () => {
      const socket = await RawSocket.open(relay.url);
      await socket.request({ type: 'auth', id: 'a', identityKey: identity.publicKey, signature: sign(authPayload(socket.binding, identity.publicKey), identity.secretKey) });
      return socket;
    };
    const first = await RawSocket.open(relay.url);
    await first.register('guesser2', identity);
    for (let i = 0; i < 5; i++) await first.request({ type: 'link-lookup', id: `h${i}`, linkId: '99999999' });
    first.close();
    const second = await login();
    for (let i = 0; i < 5; i++) await second.request({ type: 'link-lookup', id: `k${i}`, linkId: '99999999' });
    second.close();
    const third = await login();
    expect(await third.request({ type: 'link-lookup', id: 'x', linkId: '99999999' })).toMatchObject({ code: 'rate_limited' });
    third.close();
  });

  it('keeps at most ten devices of one address waiting for their code; one that gives up makes room', async () => {
    const { dir, relay } = await setup([]);
    const waiting: LinkInProgress[] = [];
    for (let i = 0; i < 10; i++) {
      const link = await WarblerClient.link(path.join(dir, `new-${i}`), httpUrl(relay));
      waiting.push(link);
      link.done.catch(() => undefined);
    }
    cleanups.push(() => waiting.forEach((l) => l.cancel()));
    await expect(WarblerClient.link(path.join(dir, 'new-10'), httpUrl(relay))).rejects.toMatchObject({ code: 'rate_limited' });
    waiting.shift()!.cancel();
    // The relay frees the place when it sees the socket close: a moment later.
    const deadline = Date.now() + 5000;
    for (let attempt = 0; ; attempt++) {
      try {
        const again = await WarblerClient.link(path.join(dir, `new-again-${attempt}`), httpUrl(relay));
        again.done.catch(() => undefined);
        again.cancel();
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });

  it('counts wrong codes per account and per address, never for the relay as a whole', async () => {
    const { dir, relay, users } = await setup(['alice']);
    const guess = (raw: RawSocket, i: number) => raw.request({ type: 'link-lookup', id: `g${i}`, linkId: '99999999' });
    // Eight other machines, three accounts each, ten wrong codes an account (five a connection):
    // 240 in all, more than a limit for the whole relay would allow.
    for (let machine = 2; machine <= 9; machine++) {
      const localAddress = `127.0.0.${machine}`;
      for (let n = 0; n < 3; n++) {
        const identity = generateIdentity();
        const first = await RawSocket.open(relay.url, { localAddress });
        await first.register(`m${machine}n${n}`, identity);
        for (let i = 0; i < 5; i++) expect(await guess(first, i)).toMatchObject({ code: 'unknown_link' });
        first.close();
        const second = await RawSocket.open(relay.url, { localAddress });
        await second.request({ type: 'auth', id: 'a', identityKey: identity.publicKey, signature: sign(authPayload(second.binding, identity.publicKey), identity.secretKey) });
        for (let i = 0; i < 5; i++) expect(await guess(second, i)).toMatchObject({ code: 'unknown_link' });
        second.close();
      }
      // That machine has used its thirty: a fresh account from it is refused at once.
      const another = await RawSocket.open(relay.url, { localAddress });
      await another.register(`m${machine}fresh`);
      expect(await guess(another, 0)).toMatchObject({ code: 'rate_limited' });
      another.close();
    }
    // Alice, from her own address, links her laptop as if nothing had happened.
    const linking = await WarblerClient.link(path.join(dir, 'alice-laptop'), httpUrl(relay));
    await users.alice!.client.approveDevice(linking.code);
    const laptop = await linking.done;
    cleanups.push(() => laptop.close());
    expect(laptop.username).toBe('alice');
  }, 60_000);
});

describe('typing and presence', () => {
  it('typing reaches people online now and is never queued', async () => {
    const { dir, relay, users } = await setup(['alice', 'bob']);
    const typing: boolean[] = [];
    users.bob!.client.on('typing', (t) => t.username === 'alice' && typing.push(t.typing));
    // A stranger's typing is not shown: bob must have a conversation with alice first.
    await users.alice!.client.setTyping('bob', true);
    await users.alice!.client.send('bob', 'hi');
    await waitFor(() => users.bob!.client.conversation('alice'), 2000, 'conversation');
    expect(typing).toEqual([]);
    await users.alice!.client.setTyping('bob', true);
    await waitFor(() => typing.length === 1, 1000, 'typing within a second');
    await users.alice!.client.setTyping('bob', false);
    await waitFor(() => typing.length === 2, 1000, 'stopped');
    expect(typing).toEqual([true, false]);

    await users.bob!.client.close();
    await users.alice!.client.setTyping('bob', true);
    const bobAgain = await WarblerClient.open(path.join(dir, 'bob'), { serverUrl: httpUrl(relay) });
    cleanups.push(() => bobAgain.close());
    const later: unknown[] = [];
    bobAgain.on('typing', (t) => later.push(t));
    const drained = bobAgain.waitDrained(5000);
    bobAgain.start();
    await drained;
    await new Promise((r) => setTimeout(r, 200));
    expect(later).toEqual([]);
  });

  it('shows online, away, hidden and offline with last seen, to contacts only, within a second', async () => {
    const { users } = await setup(['alice', 'bob', 'stranger']);
    const seen: Presence[] = [];
    const strangerSaw: Presence[] = [];
    users.bob!.client.on('presence', (p) => p.username === 'alice' && seen.push(p));
    users.stranger!.client.on('presence', (p) => p.username === 'alice' && strangerSaw.push(p));
    await users.alice!.client.send('bob', 'now we share a conversation');
    await waitFor(() => seen.at(-1)?.state === 'online', 1000, 'online');

    users.alice!.client.setPresence({ state: 'away' });
    await waitFor(() => seen.at(-1)?.state === 'away', 1000, 'away');
    users.alice!.client.setPresence({ state: 'online' });
    await waitFor(() => seen.at(-1)?.state === 'online', 1000, 'back');
    users.alice!.client.setPresence({ hidden: true });
    await waitFor(() => seen.at(-1)?.state === 'offline' && seen.at(-1)?.lastSeen === null, 1000, 'hidden');
    users.alice!.client.setPresence({ hidden: false });
    await waitFor(() => seen.at(-1)?.state === 'online', 1000, 'visible again');

    const before = Date.now();
    await users.alice!.client.close();
    await waitFor(() => seen.at(-1)?.state === 'offline', 1000, 'offline');
    expect(seen.at(-1)?.lastSeen).toBeGreaterThanOrEqual(before - 5);
    expect(users.bob!.client.presenceList()).toEqual([expect.objectContaining({ username: 'alice', state: 'offline' })]);
    expect(strangerSaw).toEqual([]);
  });

  it('keeps away by choice over input and across a restart, until online is chosen', async () => {
    const { dir, relay, users } = await setup(['alice', 'bob']);
    const seen: Presence[] = [];
    users.bob!.client.on('presence', (p) => p.username === 'alice' && seen.push(p));
    await users.alice!.client.send('bob', 'hello');
    await waitFor(() => seen.at(-1)?.state === 'online', 1000, 'online');

    users.alice!.client.setPresence({ away: true });
    await waitFor(() => seen.at(-1)?.state === 'away', 1000, 'away by choice');
    // Typing again (the idle timer's "online") does not undo a choice.
    users.alice!.client.setPresence({ state: 'online' });
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.at(-1)?.state).toBe('away');

    await users.alice!.client.close();
    await waitFor(() => seen.at(-1)?.state === 'offline', 1000, 'offline');
    const again = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: httpUrl(relay) });
    cleanups.push(() => again.close());
    expect(again.presenceAway).toBe(true);
    const sinceRestart = seen.length;
    again.start();
    await waitFor(() => seen.at(-1)?.state === 'away', 2000, 'away again after the restart');
    // The login itself says away: bob never sees alice online in between.
    await new Promise((r) => setTimeout(r, 200));
    expect(seen.slice(sinceRestart).map((p) => p.state)).toEqual(['away']);
    again.setPresence({ away: false });
    await waitFor(() => seen.at(-1)?.state === 'online', 1000, 'online by choice');
  });

  it('is taken back when the last group two people share parts them, but not while they share another', async () => {
    const { users } = await setup(['alice', 'bob', 'carol']);
    const { alice, bob, carol } = users as Record<string, Awaited<ReturnType<typeof onlineClient>>>;
    const seenBy = (who: string) => {
      const seen: Presence[] = [];
      users[who]!.client.on('presence', (p) => p.username === 'alice' && seen.push(p));
      return seen;
    };
    const carolSaw = seenBy('carol');
    const bobSaw = seenBy('bob');
    const group = await alice!.client.createGroup('Team', ['bob', 'carol']);
    const other = await alice!.client.createGroup('Book club', ['bob']);
    await alice!.client.send(group.id, 'hello team');
    await alice!.client.send(other.id, 'and hello books');
    await waitFor(() => carolSaw.at(-1)?.state === 'online' && bobSaw.at(-1)?.state === 'online', 2000, 'alice online for both');
    // Carol writes too: alice sees her presence, until they are parted.
    const aliceSawCarol: Presence[] = [];
    alice!.client.on('presence', (p) => p.username === 'carol' && aliceSawCarol.push(p));
    await carol!.client.send(group.id, 'hi all');
    await waitFor(() => aliceSawCarol.at(-1)?.state === 'online', 2000, 'carol online for alice');

    await alice!.client.removeMember(group.id, 'carol');
    await waitFor(() => carolSaw.at(-1)?.state === 'offline' && carolSaw.at(-1)?.lastSeen === null, 2000, 'alice gone for carol');
    await waitFor(() => aliceSawCarol.at(-1)?.state === 'offline', 2000, 'carol gone for alice');
    const carolCount = carolSaw.length;
    alice!.client.setPresence({ state: 'away' });
    // Bob shares another group with alice: he still sees her, and carol hears nothing more.
    await waitFor(() => bobSaw.at(-1)?.state === 'away', 1000, 'bob sees away');
    await new Promise((r) => setTimeout(r, 200));
    expect(carolSaw).toHaveLength(carolCount);
    // Leaving one of two shared groups parts nobody; leaving the last one parts bob and alice too.
    await bob!.client.leaveGroup(other.id);
    alice!.client.setPresence({ state: 'online' });
    await waitFor(() => bobSaw.at(-1)?.state === 'online', 1000, 'bob still sees alice');
    await bob!.client.leaveGroup(group.id);
    await waitFor(() => bobSaw.at(-1)?.state === 'offline' && bobSaw.at(-1)?.lastSeen === null, 2000, 'alice gone for bob');
  });

  it('is taken back at the next login when the parting happened offline', async () => {
    const { dir, relay, users } = await setup(['alice', 'bob']);
    const { alice, bob } = users as Record<string, Awaited<ReturnType<typeof onlineClient>>>;
    const bobSaw: Presence[] = [];
    bob!.client.on('presence', (p) => p.username === 'alice' && bobSaw.push(p));
    const group = await alice!.client.createGroup('Pair', ['bob']);
    await alice!.client.send(group.id, 'hello');
    await waitFor(() => bobSaw.at(-1)?.state === 'online', 2000, 'alice online for bob');

    const { port } = new URL(relay.url);
    await relay.close();
    await waitFor(() => alice!.client.connectionState !== 'online', 5000, 'alice offline');
    // Offline: the change waits in the outbox, and so does taking her presence back from bob.
    await alice!.client.removeMember(group.id, 'bob');
    const again = await testRelay(path.join(dir, 'relay'), Number(port));
    cleanups.push(() => again.close());
    const bobSeesAlice = () => relayValue(path.join(dir, 'relay'), "SELECT 1 FROM contacts WHERE username = 'alice' AND other = 'bob'");
    await waitFor(async () => (await bobSeesAlice()) === undefined, 15_000, 'the relay told that bob no longer sees alice');
    await waitFor(() => alice!.client.connectionState === 'online' && bob!.client.connectionState === 'online', 5000, 'both back');
    // Online is not yet drained: bob's device parts from alice itself once it applies the removal.
    await waitFor(() => bob!.client.conversation(group.id)?.active === false, 5000, 'bob removed');
    const heard = bobSaw.length;
    alice!.client.setPresence({ state: 'away' });
    await new Promise((r) => setTimeout(r, 300));
    // The withdrawal itself (offline, no last seen) may still be on its way on a busy machine;
    // nothing of alice's own presence reaches bob any more.
    expect(bobSaw.slice(heard).filter((p) => p.state !== 'offline' || p.lastSeen !== null)).toEqual([]);
  });

  it('tells of a withdrawal only those who could see the presence', async () => {
    const { relay, users } = await setup(['bob']);
    const heard: Presence[] = [];
    users.bob!.client.on('presence', (p) => heard.push(p));
    const stranger = await RawSocket.open(relay.url);
    cleanups.push(() => stranger.close());
    await stranger.register('stranger');
    expect(await stranger.request({ type: 'presence-withdraw', id: 'w1', usernames: ['bob'] })).toMatchObject({ type: 'result' });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard.filter((p) => p.username === 'stranger')).toEqual([]);
  });

  it('is consent: writing to someone does not reveal their presence; hiding also hides last seen and receipts', async () => {
    const { dir, relay, users } = await setup(['alice', 'bob', 'mallory']);
    const malloryKnows: Presence[] = [];
    users.mallory!.client.on('presence', (p) => malloryKnows.push(p));
    // Mallory writes to alice, who never answers: mallory learns nothing of alice's presence.
    const probe = await users.mallory!.client.send('alice', 'hi, are you online?');
    await waitFor(() => users.alice!.received.length === 1, 2000, 'alice got it');
    await waitFor(() => users.mallory!.client.message(probe.id)?.state === 'delivered', 2000, 'a receipt while visible');
    await new Promise((r) => setTimeout(r, 200));
    expect(malloryKnows.filter((p) => p.username === 'alice')).toEqual([]);

    // Alice hides: no receipt tells mallory she is online, and leaving records no last seen.
    users.alice!.client.setPresence({ hidden: true });
    const bobSaw: Presence[] = [];
    users.bob!.client.on('presence', (p) => p.username === 'alice' && bobSaw.push(p));
    await users.alice!.client.send('bob', 'hello bob');
    await waitFor(() => bobSaw.length > 0, 1000, 'bob told');
    expect(bobSaw.at(-1)).toMatchObject({ state: 'offline', lastSeen: null });
    const second = await users.mallory!.client.send('alice', 'still there?');
    await waitFor(() => users.alice!.received.length === 2, 2000, 'alice got the second');
    await new Promise((r) => setTimeout(r, 300));
    expect(users.mallory!.client.message(second.id)?.state).toBe('sent');
    await users.alice!.client.close();
    await new Promise((r) => setTimeout(r, 200));
    expect(bobSaw.at(-1)).toMatchObject({ state: 'offline', lastSeen: null });

    // Another of alice's devices that does not know she hides does not make her visible.
    const again = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: httpUrl(relay) });
    cleanups.push(() => again.close());
    again.setPresence({ hidden: false });
    again.start();
    await again.waitOnline(5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(bobSaw.every((p) => p.state === 'offline')).toBe(true);
  });
});
