// warbler block, unblock and accept from the built CLI, against a real relay on loopback, as a
// script uses them: a blocked person's messages are never printed; a request is accepted by name.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli } from '../cli-runner.js';
import { httpUrl, relayIn, tempDir, useCleanups } from '../helpers.js';

const cleanups = useCleanups();

beforeAll(() => {
  expect(fs.existsSync(CLI), 'build the CLI first (npx tsc -p tsconfig.build.json)').toBe(true);
});

describe('warbler block, unblock and accept', () => {
  it("accepts a stranger's request; a blocked person's messages are not printed until unblocked", async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const { warbler, lines, fails } = cli(dir);
    await warbler('a', '--server', httpUrl(relay), 'register', 'alice');
    await warbler('b', '--server', httpUrl(relay), 'register', 'bob');

    await warbler('b', 'send', 'alice', 'hello stranger');
    expect(await lines('a', 'sync', '--json')).toEqual([expect.objectContaining({ from: 'bob', text: 'hello stranger' })]);
    expect(await fails('a', 'accept', 'carol')).toMatchObject({ code: 2, stderr: expect.stringContaining('no message request from carol') });
    expect(await warbler('a', 'accept', 'bob')).toBe("accepted bob's message request\n");

    expect(await warbler('a', 'block', 'bob')).toBe('blocked bob\n');
    await warbler('b', 'send', 'alice', 'you will not see this');
    expect(await lines('a', 'sync', '--json')).toEqual([]);
    expect(await warbler('a', 'unblock', 'bob')).toBe('unblocked bob\n');
    await warbler('b', 'send', 'alice', 'and this you see');
    expect(await lines('a', 'sync', '--json')).toEqual([expect.objectContaining({ from: 'bob', text: 'and this you see' })]);

    expect(await fails('a', 'block')).toMatchObject({ code: 2, stderr: expect.stringContaining('block needs one NAME') });
    expect(await fails('a', 'block', 'alice')).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot block yourself') });
  });
});
