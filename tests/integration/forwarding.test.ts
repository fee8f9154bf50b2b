// Forwarding through a real relay: a copy of a message (text and files, marked forwarded) reaches
// another conversation; its files are not uploaded again while the relay has their blobs, and are
// uploaded again from this device's copy once it has not; a file here twice is stored once.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WarblerClient } from '../../core/client.js';
import { BLOBS_FOLDER } from '../../server/blobs/blobs.js';
import { attachmentFile } from '../../core/attachments/attachment-store.js';
import type { ChatMessage } from '../../shared/ipc.js';
import { randomFile } from '../../bench/random-file.js';
import { sha256 } from '../attachment-fixture.js';
import { onlineClient, tempDir, testRelay, useCleanups, waitFor, withHistoryFile } from '../helpers.js';
import { sendForged } from '../hostile-client.js';
import type { AttachmentPointer } from '../../shared/attachment.js';
import { threePeople } from '../people.js';

const cleanups = useCleanups();

const relayBlobs = (dir: string): string[] => fs.readdirSync(path.join(dir, 'relay', BLOBS_FOLDER)).sort();
const profileFiles = (client: WarblerClient): string[] => fs.readdirSync(path.join(client.profileDir, 'attachments')).sort();

/** The message `id` once it is in `client`'s history. */
const arrived = (client: WarblerClient, id: string): Promise<ChatMessage> => waitFor(() => client.message(id), 20_000, `message ${id}`);

async function sendFile(from: WarblerClient, to: string, dir: string, caption: string): Promise<{ sent: ChatMessage; digest: string }> {
  const file = path.join(dir, `${caption}.bin`);
  const digest = randomFile(file, 300_000);
  const staged = await from.stageAttachment(fs.createReadStream(file), { name: 'report.bin', type: 'application/octet-stream' });
  return { sent: await from.send(to, caption, { queue: false, attachments: [staged.stagedId] }), digest };
}

describe('forwarding through a real relay', () => {
  it('forwards a file without uploading it again; every device of the new conversation gets it, byte-identical', async () => {
    const { dir, alice, alice2, bob, carol } = await threePeople(cleanups);
    const { sent, digest } = await sendFile(bob, 'alice', dir, 'the report');
    const original = await arrived(alice, sent.id);
    expect(relayBlobs(dir)).toHaveLength(1);
    await alice.downloadAttachment(original.attachments![0]!.id);

    const copy = await alice.forward(sent.id, 'carol', { queue: false });
    expect(copy).toMatchObject({ conversationId: 'carol', sender: 'alice', text: 'the report', forwarded: true, state: 'sent' });
    // Here it shares the original's verified file: ready at once, under a handle of its own.
    const [mine] = copy.attachments!;
    expect(mine).toMatchObject({ name: 'report.bin', state: 'ready' });
    expect(mine!.id).not.toBe(original.attachments![0]!.id);
    expect(relayBlobs(dir)).toHaveLength(1);

    for (const [device, conversationId] of [
      [carol, 'alice'],
      [alice2, 'carol'],
    ] as const) {
      const got = await arrived(device, copy.id);
      expect(got).toMatchObject({ conversationId, sender: 'alice', text: 'the report', forwarded: true });
      const out = path.join(dir, `${device.profileDir.split(path.sep).pop()}-copy.bin`);
      await device.saveAttachment(got.attachments![0]!.id, out);
      expect(sha256(out)).toBe(digest);
    }
    expect(relayBlobs(dir)).toHaveLength(1);

    // Forwarded into a conversation that has the original: the second copy is ready without a download.
    const again = await alice.forward(sent.id, 'bob', { queue: false });
    const atBob = await arrived(bob, again.id);
    expect(atBob.forwarded).toBe(true);
    expect(await bob.downloadAttachment(atBob.attachments![0]!.id)).toMatchObject({ state: 'ready' });
    expect(profileFiles(bob)).toHaveLength(1);

    // The file stays as long as one of its messages does.
    await alice.deleteMessage(sent.id, { queue: false, forEveryone: false });
    expect(profileFiles(alice)).toHaveLength(1);
    await alice.saveAttachment(mine!.id, path.join(dir, 'kept.bin'));
    expect(sha256(path.join(dir, 'kept.bin'))).toBe(digest);
    await alice.deleteMessage(copy.id, { queue: false, forEveryone: false });
    await alice.deleteMessage(again.id, { queue: false, forEveryone: false });
    expect(profileFiles(alice)).toEqual([]);
  }, 120_000);

  it('forwards text to a group, marked forwarded for every member; a deleted message cannot be forwarded', async () => {
    const { alice, alice2, bob, carol } = await threePeople(cleanups);
    const sent = await bob.send('alice', 'meet at noon', { queue: false });
    await arrived(alice, sent.id);
    const group = await alice.createGroup('lunch', ['bob', 'carol']);
    const copy = await alice.forward(sent.id, group.id, { queue: false });
    for (const device of [bob, carol, alice2]) {
      expect(await arrived(device, copy.id)).toMatchObject({ conversationId: group.id, text: 'meet at noon', forwarded: true, sender: 'alice' });
    }
    await bob.deleteMessage(sent.id, { queue: false, forEveryone: true });
    await waitFor(() => alice.message(sent.id)?.deletedAt, 20_000, 'the deletion');
    await expect(alice.forward(sent.id, 'carol', { queue: false })).rejects.toMatchObject({ code: 'message_deleted' });
    await expect(alice.forward('no-such-message', 'carol', { queue: false })).rejects.toMatchObject({ code: 'unknown_message' });
  }, 60_000);

  it('uploads a file again from its copy here once the relay no longer has it; refuses one that is neither there nor here', async () => {
    const dir = tempDir();
    const clock = { skew: 0 };
    const relay = await testRelay(path.join(dir, 'relay'), 0, { now: () => Date.now() + clock.skew, queueTtl: '2h' });
    cleanups.push(() => relay.close());
    const people: Record<string, WarblerClient> = {};
    for (const name of ['alice', 'bob', 'carol']) {
      const { client } = await onlineClient(path.join(dir, name), relay, name);
      cleanups.push(() => client.close());
      people[name] = client;
    }
    const { alice, bob, carol } = people as Record<'alice' | 'bob' | 'carol', WarblerClient>;
    const { sent, digest } = await sendFile(alice, 'bob', dir, 'old news');
    await arrived(bob, sent.id);

    // Past the blob's time: the relay refuses it before its hourly prune deletes it.
    clock.skew = 2 * 3600_000 + 60_000;
    const copy = await alice.forward(sent.id, 'carol', { queue: false });
    expect(relayBlobs(dir)).toHaveLength(2);
    // Alice's new name for the same ciphertext is a link to it, not a second copy on her disk.
    const here = (id: string) => fs.statSync(attachmentFile(path.join(dir, 'alice'), id));
    expect(here(copy.attachments![0]!.id).ino).toBe(here(sent.attachments![0]!.id).ino);
    const got = await arrived(carol, copy.id);
    const out = path.join(dir, 'carol.bin');
    await carol.saveAttachment(got.attachments![0]!.id, out);
    expect(sha256(out)).toBe(digest);

    // Bob never downloaded it: there is nothing left to forward.
    await expect(bob.forward(sent.id, 'carol', { queue: false })).rejects.toMatchObject({ code: 'attachment_missing' });
    expect(relayBlobs(dir)).toHaveLength(2);
  }, 60_000);

  it("a pointer that pairs a stored blob's id with another key or digest is damaged, and the stored file is left alone", async () => {
    const { dir, alice, bob, carol } = await threePeople(cleanups);
    const { sent, digest } = await sendFile(alice, 'bob', dir, 'the real one');
    const atBob = await arrived(bob, sent.id);
    await bob.downloadAttachment(atBob.attachments![0]!.id);
    // carol learnt the blob's id (a member of a group it went to, say) and makes up the rest.
    const real = await withHistoryFile(alice.profileDir, (db) => JSON.parse(db.prepare('SELECT pointer FROM attachments').pluck().get() as string) as AttachmentPointer);
    const forged: AttachmentPointer = { ...real, digest: 'f'.repeat(64), name: 'invoice.pdf', type: 'application/pdf' };
    await sendForged(carol, ['bob'], { kind: 'text', chat: { type: 'direct', peer: 'bob' }, text: 'see attached', attachments: [forged] });
    const fake = await waitFor(() => bob.messages('carol', 50).find((m) => m.text === 'see attached'), 20_000, 'the forged message');
    expect(await bob.downloadAttachment(fake.attachments![0]!.id)).toMatchObject({ state: 'damaged', error: { code: 'attachment_damaged' } });
    const out = path.join(dir, 'still.bin');
    await bob.saveAttachment(atBob.attachments![0]!.id, out);
    expect(sha256(out)).toBe(digest);
  }, 60_000);

  it('deleting a conversation takes its messages, files and search terms; a file forwarded elsewhere stays', async () => {
    const { dir, alice, bob, carol } = await threePeople(cleanups);
    const { sent, digest } = await sendFile(bob, 'alice', dir, 'quarterly figures');
    const other = await sendFile(bob, 'alice', dir, 'holiday photos');
    for (const m of [sent, other.sent]) await alice.downloadAttachment((await arrived(alice, m.id)).attachments![0]!.id);
    const copy = await alice.forward(other.sent.id, 'carol', { queue: false });
    expect(profileFiles(alice)).toHaveLength(2);
    expect(alice.search('quarterly')).toHaveLength(1);

    alice.deleteConversation('bob');
    expect(alice.conversation('bob')).toBeUndefined();
    expect(alice.message(sent.id)).toBeUndefined();
    expect(alice.search('quarterly')).toEqual([]);
    expect(profileFiles(alice)).toHaveLength(1);
    const out = path.join(dir, 'forwarded-kept.bin');
    await alice.saveAttachment(copy.attachments![0]!.id, out);
    expect(sha256(out)).toBe(other.digest);
    expect(digest).not.toBe(other.digest);
    expect(() => alice.deleteConversation('bob')).toThrow(expect.objectContaining({ code: 'unknown_conversation' }));

    // bob writes again: the chat comes back with that message alone.
    const again = await bob.send('alice', 'did you get them?', { queue: false });
    await arrived(alice, again.id);
    expect(alice.messages('bob', 50).map((m) => m.text)).toEqual(['did you get them?']);

    // A group is left before it can be deleted.
    const group = await alice.createGroup('team', ['bob', 'carol']);
    expect(() => alice.deleteConversation(group.id)).toThrow(expect.objectContaining({ code: 'still_a_member' }));
    await alice.leaveGroup(group.id);
    alice.deleteConversation(group.id);
    expect(alice.conversation(group.id)).toBeUndefined();
    expect(carol.conversation(group.id)).toBeDefined();
  }, 60_000);
});
