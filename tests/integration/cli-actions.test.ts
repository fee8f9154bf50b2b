// Replies, reactions, edits and deletions from the built CLI, as a script or bot uses them, against
// a real relay on loopback: sync --json prints each as its own kind, history --json the result.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli } from '../cli-runner.js';
import { httpUrl, relayIn, tempDir, useCleanups } from '../helpers.js';

const cleanups = useCleanups();

beforeAll(() => {
  expect(fs.existsSync(CLI), 'build the CLI first (npx tsc -p tsconfig.build.json)').toBe(true);
});

describe('warbler react, edit, delete and send --reply-to', () => {
  it('each reaches the other person, is printed by sync as its own kind, and history shows the messages as they stand', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const { warbler, lines, fails } = cli(dir);
    await warbler('a', '--server', httpUrl(relay), 'register', 'alice');
    await warbler('b', '--server', httpUrl(relay), 'register', 'bob');

    const lunch = (await warbler('a', 'send', 'bob', 'lunch at noon?')).trim();
    expect(await lines('b', 'sync', '--json')).toEqual([expect.objectContaining({ id: lunch, kind: 'text', text: 'lunch at noon?' })]);
    const yes = (await warbler('b', 'send', 'alice', 'yes!', '--reply-to', lunch)).trim();
    await warbler('b', 'react', 'alice', lunch, '👍');

    const atAlice = await lines('a', 'sync', '--json');
    expect(atAlice).toEqual([
      expect.objectContaining({ id: yes, kind: 'text', text: 'yes!', replyTo: { id: lunch, from: 'alice', text: 'lunch at noon?' } }),
      { id: expect.any(String), kind: 'reaction', from: 'bob', conversation: 'bob', target: lunch, emoji: '👍', sentAt: expect.any(Number), serverTime: expect.any(Number) },
    ]);

    await warbler('a', 'edit', 'bob', lunch, 'lunch at one?');
    expect(await lines('b', 'sync', '--json')).toEqual([
      { id: expect.any(String), kind: 'edit', from: 'alice', conversation: 'alice', target: lunch, text: 'lunch at one?', sentAt: expect.any(Number), serverTime: expect.any(Number) },
    ]);
    expect(await lines('b', 'history', 'alice', '--json')).toEqual([
      expect.objectContaining({ id: lunch, text: 'lunch at one?', editedAt: expect.any(Number), reactions: [{ from: 'bob', emoji: '👍' }] }),
      expect.objectContaining({ id: yes, replyTo: { id: lunch, from: 'alice', text: 'lunch at noon?' } }),
    ]);
    expect(await warbler('b', 'history', 'alice')).toMatch(/alice: lunch at one\? \(edited\) \[👍 bob\]\n.*me → alice: \(to alice: “lunch at noon\?”\) yes!\n$/);

    // Refused before anything is sent: not one emoji, someone else's message, a message of another chat.
    expect(await fails('b', 'react', 'alice', lunch, 'lol')).toMatchObject({ code: 2, stderr: expect.stringContaining('one emoji') });
    expect(await fails('b', 'edit', 'alice', lunch, 'mine now')).toMatchObject({ code: 1, stderr: expect.stringContaining('only its sender') });
    expect(await fails('b', 'delete', 'carol', lunch)).toMatchObject({ code: 2, stderr: expect.stringContaining('no message') });

    await warbler('a', 'delete', 'bob', lunch, '--for-everyone');
    expect(await lines('b', 'sync', '--json')).toEqual([
      { id: expect.any(String), kind: 'delete', from: 'alice', conversation: 'alice', target: lunch, forEveryone: true, sentAt: expect.any(Number), serverTime: expect.any(Number) },
    ]);
    // Gone from history; the reply no longer quotes its text.
    expect(await lines('b', 'history', 'alice', '--json')).toEqual([expect.objectContaining({ id: yes, replyTo: { id: lunch, from: 'alice', text: '' } })]);
    expect(await warbler('b', 'search', 'lunch')).toBe('');

    // Taking a reaction back, and deleting for oneself: bob's own history only.
    await warbler('a', 'react', 'bob', yes, '🎉');
    await warbler('b', 'sync');
    await warbler('a', 'react', 'bob', yes, 'none');
    expect(await lines('b', 'sync', '--json')).toEqual([expect.objectContaining({ kind: 'reaction', from: 'alice', target: yes, emoji: null })]);
    await warbler('b', 'delete', 'alice', yes);
    expect(await warbler('b', 'history', 'alice', '--json')).toBe('');
    expect(await lines('a', 'history', 'bob', '--json')).toEqual([expect.objectContaining({ id: yes, text: 'yes!' })]);
  });
});
