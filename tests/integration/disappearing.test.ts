// Disappearing messages through a real relay: a timer set by either side reaches every device of
// every member as a line; each message goes on every device when its time is up, counted from when
// it is read (from when it is sent, for its sender), and leaves nothing in the history file.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { WarblerClient } from '../../core/client.js';
import { decryptedPages } from '../history-pages.js';
import { useCleanups, waitFor, withHistoryFile } from '../helpers.js';
import { threePeople } from '../people.js';

const cleanups = useCleanups();

const people = () => threePeople(cleanups);

const lines = (c: WarblerClient, conversation: string) => c.messages(conversation, 100).filter((m) => m.timerChange).map((m) => m.text);

describe('disappearing messages, through a real relay', () => {
  it('a timer reaches everyone; a message goes when its time is up after it was read, on every device, leaving nothing in the file', async () => {
    const { dir, alice, alice2, bob } = await people();
    await alice.openConversation('bob');
    const kept = await bob.send('alice', 'a keepsake from before', { queue: true });
    const line = alice.setDisappearing('bob', 2000);
    expect(line).toMatchObject({ kind: 'event', timerChange: { actor: 'alice', expiresIn: 2000 }, text: 'alice set disappearing messages to 2 seconds' });
    for (const [c, chat] of [[bob, 'alice'], [alice2, 'bob']] as const) {
      await waitFor(() => c.conversation(chat)?.expiresIn === 2000, 10_000, 'the timer');
      expect(lines(c, chat)).toEqual(['alice set disappearing messages to 2 seconds']);
    }

    const note = await alice.send('bob', 'the door code is quuxvanishing');
    expect(note).toMatchObject({ expiresIn: 2000, expiresAt: note.sentAt + 2000 });
    await waitFor(() => bob.message(note.id), 10_000, 'bob has it');
    expect(bob.message(note.id)).toMatchObject({ expiresIn: 2000 });
    expect(bob.message(note.id)?.expiresAt).toBeUndefined();

    // Its sender's devices count from when it was sent; bob has not read it, so it stays with him.
    await waitFor(() => alice.message(note.id) === undefined && alice2.message(note.id) === undefined, 10_000, "gone from alice's devices");
    await new Promise((r) => setTimeout(r, 500));
    expect(bob.message(note.id)?.text).toBe('the door code is quuxvanishing');

    const removed: string[] = [];
    bob.on('removed', (r) => removed.push(r.id));
    bob.markRead('alice');
    expect(bob.message(note.id)?.expiresAt).toBeGreaterThan(Date.now());
    await waitFor(() => bob.message(note.id) === undefined, 10_000, 'gone from bob once read');
    expect(removed).toContain(note.id);
    expect(bob.search('quuxvanishing')).toEqual([]);
    // A message from before the timer was set is not touched.
    expect(bob.message(kept.id)?.text).toBe('a keepsake from before');

    for (const name of ['alice', 'bob']) {
      const profile = path.join(dir, name);
      await withHistoryFile(profile, (db) => db.pragma('wal_checkpoint(TRUNCATE)'));
      const pages = await decryptedPages(profile);
      expect(pages.includes('a keepsake from before'), `${name} decrypted`).toBe(true);
      expect(pages.includes('quuxvanishing'), name).toBe(false);
      expect(pages.includes('uxvanishin'), name).toBe(false);
    }

    // Either side turns it off; what is written then stays.
    bob.setDisappearing('alice', null);
    await waitFor(() => alice.conversation('bob')?.expiresIn === null, 10_000, 'off at alice');
    const stays = await alice.send('bob', 'this one stays');
    expect(stays.expiresIn).toBeUndefined();
    expect(lines(alice, 'bob')).toEqual(['alice set disappearing messages to 2 seconds', 'bob turned off disappearing messages']);
  });

  it('in a group of three, a timer set by any member reaches every member', async () => {
    const { alice, bob, carol } = await people();
    const group = await alice.createGroup('Trip', ['bob', 'carol']);
    await waitFor(() => carol.conversation(group.id), 10_000, 'carol knows the group');
    carol.setDisappearing(group.id, 7 * 24 * 3600_000);
    for (const c of [alice, bob, carol]) {
      await waitFor(() => c.conversation(group.id)?.expiresIn === 7 * 24 * 3600_000, 10_000, 'the timer');
      expect(lines(c, group.id)).toEqual(['carol set disappearing messages to 1 week']);
    }
    const message = await bob.send(group.id, 'see you next week');
    expect(message.expiresIn).toBe(7 * 24 * 3600_000);
    await waitFor(() => alice.message(message.id)?.expiresIn === 7 * 24 * 3600_000, 10_000, 'alice has it, timed');
  });
});
