// Replies, reactions, edits and deletions through a real relay: two devices of one person and a
// group of three see the same thing, exactly once, and a deletion for everyone leaves nothing of
// the text in any history file or search index.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WarblerClient } from '../../core/client.js';
import type { Outbox } from '../../core/client/outbox.js';
import type { ChatMessage } from '../../shared/ipc.js';
import type { PayloadBody } from '../../shared/payload.js';
import { decryptedPages } from '../history-pages.js';
import { useCleanups, waitFor, withHistoryFile } from '../helpers.js';
import { threePeople } from '../people.js';
import { sendForged } from '../hostile-client.js';

const cleanups = useCleanups();

/** alice (two devices), bob and carol, in a group alice made. */
async function people() {
  const { dir, alice, alice2, bob, carol } = await threePeople(cleanups);
  const group = await alice.createGroup('Trip', ['bob', 'carol']);
  const everyone = [alice, alice2, bob, carol];
  await waitFor(() => everyone.every((c) => c.conversation(group.id)), 10_000, 'everyone knows the group');
  return { dir, alice, alice2, bob, carol, everyone, group: group.id };
}

/** What every device shows of one message, once all of them agree with `expected`. */
async function allSee(clients: WarblerClient[], id: string, expected: (m: ChatMessage | undefined) => boolean, what: string) {
  await waitFor(() => clients.every((c) => expected(c.message(id))), 10_000, what);
}

const reactionsOf = (m: ChatMessage | undefined) => (m?.reactions ?? []).map((r) => `${r.from}:${r.emoji}`).sort();

describe('actions on messages, through a real relay', () => {
  it('a reply quotes its message; reactions, an edit and a deletion for everyone reach every device of every member alike', async () => {
    const { alice, alice2, bob, carol, everyone, group } = await people();
    const plan = await alice.send(group, 'Meet at the zanzibarquux station at nine');
    await allSee(everyone, plan.id, (m) => m?.text === plan.text, 'the plan');

    const reply = await bob.send(group, 'I will be there', { queue: true, replyTo: plan.id });
    expect(reply.replyTo).toEqual({ id: plan.id, from: 'alice', text: plan.text });
    await allSee(everyone, reply.id, (m) => m?.replyTo?.id === plan.id && m.replyTo.from === 'alice', 'the reply, quoting');

    await bob.react(plan.id, '👍');
    await carol.react(plan.id, '❤️');
    await alice2.react(plan.id, '😂');
    await allSee(everyone, plan.id, (m) => reactionsOf(m).join() === 'alice:😂,bob:👍,carol:❤️', 'three reactions');
    // One reaction each: a new one replaces the last; null takes it away.
    await bob.react(plan.id, '🎉');
    await carol.react(plan.id, null);
    await allSee(everyone, plan.id, (m) => reactionsOf(m).join() === 'alice:😂,bob:🎉', 'changed reactions');

    const edited = await alice2.edit(plan.id, 'Meet at the central station at ten');
    expect(edited.editedAt).toBeGreaterThan(0);
    await allSee(everyone, plan.id, (m) => m?.text === 'Meet at the central station at ten' && m.editedAt !== undefined, 'the edit');
    for (const c of everyone) expect(c.messageVersions(plan.id).map((v) => v.text)).toEqual([plan.text]);
    // Search finds what it says now, not what it said.
    await waitFor(() => everyone.every((c) => c.search('central').some((h) => h.id === plan.id)), 5000, 'the edit indexed');
    for (const c of everyone) expect(c.search('zanzibarquux')).toEqual([]);

    await expect(bob.edit(plan.id, 'not mine')).rejects.toMatchObject({ code: 'not_own_message' });
    await expect(bob.deleteMessage(plan.id, { queue: true, forEveryone: true })).rejects.toMatchObject({ code: 'not_own_message' });

    await alice.deleteMessage(plan.id, { queue: false, forEveryone: true });
    await allSee(everyone, plan.id, (m) => m?.deletedAt !== undefined && m.text === '' && m.reactions === undefined, 'the deletion');
    for (const c of everyone) {
      expect(c.messageVersions(plan.id)).toEqual([]);
      expect(c.search('central')).toEqual([]);
      expect(c.search('station')).toEqual([]);
    }
    await expect(carol.react(plan.id, '👍')).rejects.toMatchObject({ code: 'message_deleted' });
    // The reply still quotes it as it was when written: the quote is the reply's own text.
    expect(bob.message(reply.id)?.replyTo?.id).toBe(plan.id);
    // Nothing was told twice: one copy of each message everywhere.
    for (const c of everyone) expect(c.messages(group, 100).filter((m) => m.kind === 'text').map((m) => m.id)).toEqual([plan.id, reply.id]);
  });

  it('a deletion for everyone leaves neither the text nor its search terms in any page of the history file, free ones included', async () => {
    const { dir, alice, bob, carol, group } = await people();
    const kept = await alice.send(group, 'keepsakeword stays here');
    const secret = await alice.send(group, 'the vault code is quuxsecretword');
    // Sent is stored on the relay, not yet with bob: he reacts to what he has.
    await waitFor(() => bob.message(secret.id), 10_000, 'the message at bob');
    await bob.react(secret.id, '👀');
    await alice.edit(secret.id, 'the vault code is quuxsecretedit');
    for (const c of [bob, carol]) await waitFor(() => c.message(secret.id)?.editedAt !== undefined, 10_000, 'the edit');
    await alice.deleteMessage(secret.id, { queue: false, forEveryone: true });
    for (const c of [bob, carol]) await waitFor(() => c.message(secret.id)?.deletedAt !== undefined, 10_000, 'the deletion');

    for (const name of ['alice', 'bob', 'carol']) {
      const profile = path.join(dir, name);
      await withHistoryFile(profile, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
      const pages = await decryptedPages(profile);
      // The pages did decrypt: what was not deleted is there to be read.
      expect(pages.includes('keepsakeword'), `${name} holds the kept message`).toBe(true);
      for (const gone of ['quuxsecretword', 'quuxsecretedit', 'uxsecretwor', 'uxsecreted']) expect(pages.includes(gone), `${name}: ${gone}`).toBe(false);
    }
    expect(bob.message(kept.id)?.text).toBe('keepsakeword stays here');
  });

  it("a deletion for oneself leaves one's own devices only; the others keep the message", async () => {
    const { alice, alice2, bob, everyone, group } = await people();
    const note = await bob.send(group, 'a note alice does not want to keep');
    await allSee(everyone, note.id, (m) => m !== undefined, 'the note');
    const removed: string[] = [];
    alice2.on('removed', (r) => removed.push(r.id));
    await alice.deleteMessage(note.id, { queue: false, forEveryone: false });
    expect(alice.message(note.id)).toBeUndefined();
    await waitFor(() => alice2.message(note.id) === undefined, 10_000, "alice's other device");
    expect(removed).toEqual([note.id]);
    expect(bob.message(note.id)?.text).toBe(note.text);
  });

  it('an action that arrives before its message is held, and applied once the message comes', async () => {
    const { alice, alice2, bob, carol, group } = await people();
    // alice's message reaches carol now, and bob only later, from her other device (as a resend would).
    const outboxOf = (c: WarblerClient) => (c as unknown as { parts: { outbox: Outbox } }).parts.outbox;
    const body: PayloadBody = { kind: 'text', chat: { type: 'group', id: group }, text: 'late for bob' };
    const as = { id: 'AAAAAAAAAAAAAAAAAAAAAA', sentAt: Date.now() };
    outboxOf(alice).add(['carol'], body, as);
    await outboxOf(alice).flush();
    await waitFor(() => carol.message(as.id), 10_000, 'carol has it');
    await carol.react(as.id, '🔥');
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.message(as.id)).toBeUndefined();

    outboxOf(alice2).add(['bob'], body, as);
    await outboxOf(alice2).flush();
    await waitFor(() => bob.message(as.id), 10_000, 'bob has it');
    await waitFor(() => reactionsOf(bob.message(as.id)).join() === 'carol:🔥', 10_000, "carol's reaction, replayed");
  });

  it('refuses actions nobody may take: an edit of someone else’s message, a late deletion, a deletion for someone else', async () => {
    const { alice, bob, carol, group } = await people();
    const mine = await alice.send(group, 'only alice may change this');
    await allSee([bob, carol], mine.id, (m) => m !== undefined, 'the message');
    const chat = { type: 'group' as const, id: group };
    await sendForged(bob, ['alice', 'carol'], { kind: 'edit', chat, target: mine.id, text: 'bob rewrote it' });
    await sendForged(bob, ['alice', 'carol'], { kind: 'delete', chat, target: mine.id, forEveryone: true });
    await sendForged(bob, ['alice', 'carol'], { kind: 'delete', chat, target: mine.id, forEveryone: false });
    // alice's own device, a day and more after she wrote it.
    const outbox = (alice as unknown as { parts: { outbox: Outbox } }).parts.outbox;
    outbox.add(['bob', 'carol'], { kind: 'delete', chat, target: mine.id, forEveryone: true }, { id: 'BBBBBBBBBBBBBBBBBBBBBB', sentAt: mine.sentAt + 25 * 3600_000 });
    await outbox.flush();
    // A reaction after them all shows they were received, and dropped.
    await bob.react(mine.id, '✅');
    await allSee([alice, carol], mine.id, (m) => reactionsOf(m).join() === 'bob:✅', 'the reaction after');
    for (const c of [alice, carol]) expect(c.message(mine.id)).toMatchObject({ text: 'only alice may change this' });
    for (const c of [alice, carol]) expect(c.message(mine.id)?.deletedAt).toBeUndefined();
  });
});
