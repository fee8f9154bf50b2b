// What `warbler sync` prints, `warbler history` and `warbler search`, run as a script runs them (the built CLI)
// against a real relay on loopback: every received message once, whichever command received it.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli, type Line } from '../cli-runner.js';
import { httpUrl, relayIn, tempDir, useCleanups, waitFor, withHistoryFile } from '../helpers.js';

const cleanups = useCleanups();

/** A relay and the CLI, with alice and bob registered. */
async function twoPeople() {
  const dir = tempDir();
  const relay = await relayIn(dir, cleanups);
  const c = cli(dir);
  await c.warbler('a', '--server', httpUrl(relay), 'register', 'alice');
  await c.warbler('b', '--server', httpUrl(relay), 'register', 'bob');
  return { dir, url: httpUrl(relay), ...c };
}

beforeAll(() => {
  expect(fs.existsSync(CLI), 'build the CLI first (npx tsc -p tsconfig.build.json)').toBe(true);
});

describe('warbler sync prints every received message once', () => {
  it('prints a message that send received on the way, once, and history shows the conversation', async () => {
    const { warbler, lines } = await twoPeople();
    const hello = (await warbler('a', 'send', 'bob', 'hello')).trim();
    const hi = (await warbler('b', 'send', 'alice', 'hi')).trim();
    // Bob's send stored alice's message (and acked it, so the relay no longer has it).
    expect((await lines('b', 'history', 'alice', '--json')).map((l) => l.id)).toEqual([hello, hi]);

    const synced = await lines('b', 'sync', '--json');
    expect(synced).toEqual([
      { id: hello, from: 'alice', conversation: 'alice', kind: 'text', outgoing: false, text: 'hello', sentAt: expect.any(Number), serverTime: expect.any(Number) },
    ]);
    expect(await warbler('b', 'sync', '--json')).toBe('');

    const history = await lines('b', 'history', 'alice', '--json');
    expect(history).toEqual([
      expect.objectContaining({ id: hello, from: 'alice', conversation: 'alice', outgoing: false, text: 'hello' }),
      expect.objectContaining({ id: hi, from: 'bob', conversation: 'alice', outgoing: true, text: 'hi' }),
    ]);
    expect(history[0]!.serverTime!).toBeLessThan(history[1]!.serverTime!);
    expect(await lines('b', 'history', 'alice', '--json', '--limit', '1')).toEqual([expect.objectContaining({ id: hi })]);
    expect(await warbler('b', 'history', 'ALICE')).toMatch(/^\[.+\] alice: hello\n\[.+\] me → alice: hi\n$/);
  });

  it('a message printed by sync --follow before SIGTERM is not printed again by the next sync', async () => {
    const { warbler, lines, spawn } = await twoPeople();
    const follower = spawn('b', 'sync', '--follow', '--json');
    const exited = new Promise((resolve) => follower.once('exit', resolve));
    cleanups.push(() => follower.kill('SIGKILL'));
    const printed: string[] = [];
    readline.createInterface({ input: follower.stdout }).on('line', (l) => printed.push(l));

    const live = (await warbler('a', 'send', 'bob', 'live one')).trim();
    await waitFor(() => printed.length > 0, 10_000, 'the followed message');
    expect(printed.map((l) => JSON.parse(l) as Line)).toEqual([expect.objectContaining({ id: live, from: 'alice', text: 'live one' })]);
    follower.kill('SIGTERM');
    expect(await exited).toBe(0);

    expect(await warbler('b', 'sync', '--json')).toBe('');
    const after = (await warbler('a', 'send', 'bob', 'after the follower')).trim();
    expect((await lines('b', 'sync', '--json')).map((l) => l.id)).toEqual([after]);
  });

  it("prints what this account's other device sent, as outgoing, and not what this device sent", async () => {
    const { url, warbler, lines, spawn } = await twoPeople();
    const linking = spawn('a2', '--server', url, 'link');
    const linked = new Promise((resolve) => linking.once('exit', resolve));
    cleanups.push(() => linking.kill('SIGKILL'));
    const shown: string[] = [];
    readline.createInterface({ input: linking.stdout }).on('line', (l) => shown.push(l));
    const code = await waitFor(() => shown.find((l) => l.startsWith('link code:')), 10_000, 'the link code');
    await warbler('a', 'approve', code.replace(/\D/g, ''));
    expect(await linked).toBe(0);

    const fromLaptop = (await warbler('a2', 'send', 'bob', 'from the second device')).trim();
    await warbler('a', 'send', 'bob', 'from the first device');
    expect(await lines('a', 'sync', '--json')).toEqual([
      expect.objectContaining({ id: fromLaptop, from: 'alice', conversation: 'bob', outgoing: true, text: 'from the second device' }),
    ]);
    expect((await lines('b', 'sync', '--json')).map((l) => l.text)).toEqual(['from the second device', 'from the first device']);
  });

  it('a profile from before the cursor starts it at its end; messages received later are printed', async () => {
    const { dir, warbler, lines } = await twoPeople();
    await warbler('a', 'send', 'bob', 'received before the upgrade');
    await warbler('b', 'send', 'alice', 'and stored by send');
    // As a profile made by a Warbler without the cursor: no setting, and a history at schema 3 (so
    // without the attachments of steps 5 and 6, the search of step 7, the actions of step 8, the
    // timers of step 9, the conversation state of step 10, the blocks and requests of step 12, the
    // deleted chats of step 13 or the group states of step 14 either),
    // so that the next open runs step 4 (which sets the cursor) on it.
    await withHistoryFile(path.join(dir, 'b'), (db) =>
      db.exec(`DELETE FROM settings WHERE key IN ('cli.printed', 'cli.printedActions'); DROP TABLE attachments; ALTER TABLE push_items DROP COLUMN attachment;
        DROP TRIGGER message_search_insert; DROP TRIGGER message_search_delete; DROP TRIGGER message_search_update; DROP TABLE message_search;
        DROP TABLE message_versions; DROP TABLE reactions; DROP TABLE message_actions; DROP INDEX messages_by_quote;
        ALTER TABLE messages DROP COLUMN reply_to; ALTER TABLE messages DROP COLUMN edited_at; ALTER TABLE messages DROP COLUMN deleted_at;
        DROP INDEX messages_expiring; ALTER TABLE messages DROP COLUMN expires_in; ALTER TABLE messages DROP COLUMN expires_at;
        ALTER TABLE conversations DROP COLUMN expires_in; DROP TABLE blocked_people; ALTER TABLE conversations DROP COLUMN request; DROP TABLE deleted_chats; DROP TABLE group_states;
        ${['pinned_at', 'archived', 'muted_until', 'marked_unread', 'state_at', 'draft'].map((c) => `ALTER TABLE conversations DROP COLUMN ${c};`).join(' ')}
        PRAGMA user_version = 3`),
    );

    expect(await warbler('b', 'sync', '--json')).toBe('');
    await warbler('a', 'send', 'bob', 'after the upgrade');
    expect((await lines('b', 'sync', '--json')).map((l) => l.text)).toEqual(['after the upgrade']);
  });

  it('history: an unknown conversation exits 1, bad arguments exit 2, each with one line', async () => {
    const { fails } = await twoPeople();
    const unknown = await fails('b', 'history', 'carol');
    expect(unknown).toMatchObject({ code: 1, stderr: 'warbler: this profile has no conversation with carol\n' });
    const group = await fails('b', 'history', `#${'A'.repeat(22)}`);
    expect(group.code).toBe(1);

    for (const args of [['history'], ['history', 'not a name'], ['history', 'alice', '--limit', '0'], ['history', 'alice', '--limit', '10001'], ['history', 'alice', '--limit', '2x'], ['sync', '--limit', '5'], ['send', 'alice', 'x', '--follow']]) {
      const failed = await fails('b', ...args);
      expect({ args, code: failed.code }).toEqual({ args, code: 2 });
      expect(failed.stderr).toMatch(/^warbler: [^\n]+\n$/);
    }
  });
});

describe('warbler search finds messages in the whole history', () => {
  it('prints the matches, best first, in English and Chinese, from any conversation; nothing when none', async () => {
    const { warbler, lines, fails } = await twoPeople();
    await warbler('a', 'send', 'bob', '明天在北京见面吧');
    const second = (await warbler('a', 'send', 'bob', 'Lunch at the café? 🍜')).trim();
    const mine = (await warbler('b', 'send', 'alice', 'lunch sounds good, see you in 北京')).trim();
    await warbler('b', 'sync');

    const beijing = await lines('b', 'search', '北京', '--json');
    expect(beijing.map((l) => l.text).sort()).toEqual(['lunch sounds good, see you in 北京', '明天在北京见面吧']);
    expect(Object.keys(beijing[0]!).sort()).toEqual(['conversation', 'from', 'id', 'sentAt', 'text']);
    expect(await lines('b', 'search', 'CAFE', 'lunch', '--json')).toEqual([
      { id: second, conversation: 'alice', from: 'alice', text: 'Lunch at the café? 🍜', sentAt: expect.any(Number) },
    ]);
    expect((await lines('b', 'search', 'lun', '--json', '--limit', '1'))).toHaveLength(1);
    expect((await lines('b', 'search', '🍜', '--json')).map((l) => l.id)).toEqual([second]);
    expect((await lines('b', 'search', 'good', '--json')).map((l) => [l.id, l.from])).toEqual([[mine, 'bob']]);
    expect(await warbler('b', 'search', 'dinner')).toBe('');
    expect((await lines('b', 'search', 'lunch', '--from', 'bob', '--json')).map((l) => l.id)).toEqual([mine]);
    expect((await lines('b', 'search', '--from', 'alice', '--json')).map((l) => l.id)[0]).toBe(second);
    expect(await lines('b', 'search', '--from', 'alice', '--json')).toHaveLength(2);
    expect(await warbler('b', 'search', '见面')).toMatch(/^\[.+\] alice: 明天在北京见面吧\n$/);
    // Alice's history finds hers and, once received, bob's.
    await warbler('a', 'sync');
    expect((await lines('a', 'search', '北京', '--json')).map((l) => l.from).sort()).toEqual(['alice', 'bob']);

    for (const args of [['search'], ['search', '  '], ['search', 'x', '--limit', '0'], ['search', 'x', '--follow'], ['search', 'x', '--from', 'Not A Name'], ['history', 'alice', '--from', 'bob']]) {
      const failed = await fails('b', ...args);
      expect({ args, code: failed.code }).toEqual({ args, code: 2 });
    }
  });
});
