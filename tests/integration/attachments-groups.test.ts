// Files in a group, through a real relay: every member's devices (the sender's other one too) get
// the same file, byte-identical; a device linked later gets none of the files sent before it, and
// those sent after.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { randomFile } from '../../bench/random-file.js';
import { sha256 } from '../attachment-fixture.js';
import { httpUrl, useCleanups, waitFor } from '../helpers.js';
import { threePeople } from '../people.js';

const cleanups = useCleanups();

describe('files in a group', () => {
  it("reach every member's devices byte-identical; a device linked later gets only what is sent after", async () => {
    const { dir, relay, alice, alice2, bob, carol } = await threePeople(cleanups);
    const group = await alice.createGroup('photos', ['bob', 'carol']);
    const original = path.join(dir, 'album.bin');
    const digest = randomFile(original, 2 * 1024 * 1024);
    const staged = await alice.stageAttachment(fs.createReadStream(original), { name: 'album.bin', type: 'application/octet-stream' });
    const sent = await alice.send(group.id, 'the album', { queue: false, attachments: [staged.stagedId] });

    for (const [name, device] of [['alice2', alice2], ['bob', bob], ['carol', carol]] as const) {
      const got = await waitFor(() => device.message(sent.id), 20_000, `${name} to get it`);
      expect(got).toMatchObject({ conversationId: group.id, text: 'the album', attachments: [expect.objectContaining({ name: 'album.bin', state: 'remote' })] });
      const out = path.join(dir, `${name}.bin`);
      await device.saveAttachment(got.attachments![0]!.id, out);
      expect(sha256(out)).toBe(digest);
    }

    // bob links a new device: the album is not on it, nor any way to fetch it.
    const linking = await WarblerClient.link(path.join(dir, 'bob2'), httpUrl(relay));
    await bob.approveDevice(linking.code);
    const bob2 = await linking.done;
    cleanups.push(() => bob2.close());
    bob2.start();
    await bob2.waitOnline(10_000);
    const later = await carol.send(group.id, 'welcome, new laptop', { queue: false });
    await waitFor(() => bob2.message(later.id), 20_000, 'the new device to get what is sent after');
    expect(bob2.message(sent.id)).toBeUndefined();
    expect(bob2.attachment(staged.stagedId)).toBeUndefined();
    expect(fs.existsSync(path.join(bob2.profileDir, 'attachments')) ? fs.readdirSync(path.join(bob2.profileDir, 'attachments')) : []).toEqual([]);

    const next = path.join(dir, 'next.bin');
    const nextDigest = randomFile(next, 300_000);
    const file = await carol.stageAttachment(fs.createReadStream(next), { name: 'next.bin', type: 'application/octet-stream' });
    const after = await carol.send(group.id, '', { queue: false, attachments: [file.stagedId] });
    const got = await waitFor(() => bob2.message(after.id), 20_000, 'the new device to get the next file');
    await bob2.saveAttachment(got.attachments![0]!.id, path.join(dir, 'bob2.bin'));
    expect(sha256(path.join(dir, 'bob2.bin'))).toBe(nextDigest);
  }, 90_000);
});
