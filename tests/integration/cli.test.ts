// The warbler and warbler-server programs, run exactly as a script would run them (built JS).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, waitFor } from '../helpers.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(root, 'dist/cli/main.js');
const SERVER = path.join(root, 'dist/server/main.js');

let dir: string;
let server: ChildProcess;
let url: string;

function warbler(...args: string[]) {
  return warblerWith({}, ...args);
}

function warblerWith(env: Record<string, string>, ...args: string[]) {
  return run(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, WARBLER_HOME: path.join(dir, 'home'), ...env } });
}

async function fails(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stderr: string }> {
  try {
    await warblerWith(env, ...args);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`warbler ${args.join(' ')} succeeded`);
}

async function startServer(): Promise<void> {
  server = spawn(process.execPath, [SERVER, '--port', '0', '--data', path.join(dir, 'relay'), '--host', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = readline.createInterface({ input: server.stdout! });
  url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const log = JSON.parse(line) as { msg?: string; url?: string };
      if (log.msg === 'relay listening' && log.url) resolve(log.url.replace('ws:', 'http:'));
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

beforeAll(async () => {
  expect(fs.existsSync(CLI), 'run npm run build first').toBe(true);
  dir = tempDir();
  await startServer();
});

afterAll(() => {
  server.kill('SIGKILL');
});

describe('warbler CLI against warbler-server', () => {
  it('registers two people who exchange messages both ways', async () => {
    expect((await warbler('--profile', 'a', '--server', url, 'register', 'alice')).stdout).toContain('registered alice');
    await warbler('--profile', 'b', '--server', url, 'register', 'bob');
    const { stdout: id } = await warbler('--profile', 'a', 'send', 'bob', 'hello from a script');
    expect(id.trim()).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const sync = await warbler('--profile', 'b', 'sync', '--json');
    const lines = sync.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ id: id.trim(), from: 'alice', text: 'hello from a script', sentAt: expect.any(Number) })]);

    await warbler('--profile', 'b', 'send', 'alice', 'and back');
    const back = await warbler('--profile', 'a', 'sync', '--json');
    expect(back.stdout).toContain('"text":"and back"');
    // Drained: a second sync has nothing more.
    expect((await warbler('--profile', 'b', 'sync', '--json')).stdout).toBe('');
  });

  it('sync --follow prints messages as they arrive', async () => {
    const follower = spawn(process.execPath, [CLI, '--profile', 'b', 'sync', '--follow', '--json'], { cwd: dir });
    const lines: string[] = [];
    readline.createInterface({ input: follower.stdout! }).on('line', (l) => lines.push(l));
    try {
      await new Promise((r) => setTimeout(r, 300));
      await warbler('--profile', 'a', 'send', 'bob', 'live one');
      await waitFor(() => lines.length > 0, 10_000, 'followed message');
      expect(JSON.parse(lines[0]!)).toMatchObject({ from: 'alice', text: 'live one' });
      // A second process on the same profile is refused in one line, and changes nothing.
      const busy = await fails(['--profile', 'b', 'sync', '--json']);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(new RegExp(`^warbler: this profile is open in another Warbler process \\(pid ${follower.pid}\\): \\S+b\\n$`));
    } finally {
      follower.kill('SIGINT');
    }
    const code = await new Promise((resolve) => follower.once('exit', resolve));
    expect(code).toBe(0);
  });

  it('fails with a one-line reason and a non-zero code', async () => {
    const unknown = await fails(['--profile', 'a', 'send', 'nobody-here', 'hi']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('no user is called "nobody-here"');

    const noProfile = await fails(['--profile', 'empty', 'sync']);
    expect(noProfile.stderr).toContain('no Warbler profile');

    const badFlag = await fails(['--profile', 'a', '--bogus', 'sync']);
    expect(badFlag.code).toBe(2);

    const badServer = await fails(['--profile', 'z', '--server', 'not a url', 'register', 'zed']);
    expect(badServer.code).toBe(2);

    const taken = await fails(['--profile', 'c', '--server', url, 'register', 'Alice']);
    expect(taken.stderr).toContain('taken');
    expect(fs.existsSync(path.join(dir, 'c', 'profile.json'))).toBe(false);

    const unreachable = await fails(['--profile', 'a', '--server', 'http://127.0.0.1:9', 'send', 'bob', 'x']);
    expect(unreachable.stderr).toMatch(/could not reach the relay/);
  });

  it('links a second device of a person with link and approve', async () => {
    const linking = spawn(process.execPath, [CLI, '--profile', 'a2', '--server', url, 'link'], { cwd: dir });
    const exited = new Promise((resolve) => linking.once('exit', resolve));
    const lines: string[] = [];
    readline.createInterface({ input: linking.stdout! }).on('line', (l) => lines.push(l));
    const shown = await waitFor(() => lines.find((l) => l.startsWith('link code:')), 10_000, 'code');
    const code = /^link code: ((?:\d{3} ){5}\d{3})$/.exec(shown)![1]!;
    // The relay's part of the code with a wrong secret finds the device, and is refused.
    const digits = code.replace(/ /g, '');
    const wrongSecret = digits.slice(8) === '0000000000' ? '1111111111' : '0000000000';
    const wrong = await fails(['--profile', 'a', 'approve', digits.slice(0, 8) + wrongSecret]);
    expect(wrong.stderr).toMatch(/is not the one showing it/);
    await warbler('--profile', 'a', 'approve', code);
    expect(await exited).toBe(0);
    expect(lines.at(-1)).toContain('now a device of alice');
    await warbler('--profile', 'b', 'send', 'alice', 'to every device');
    expect((await warbler('--profile', 'a2', 'sync', '--json')).stdout).toContain('to every device');
    expect((await warbler('--profile', 'a', 'sync', '--json')).stdout).toContain('to every device');

    // Unlinking: the list shows both, the removed one can no longer log in.
    const listed = (await warbler('--profile', 'a', 'devices')).stdout.trim().split('\n');
    expect(listed).toHaveLength(2);
    const other = listed.find((l) => l.startsWith(' '))!.trim();
    expect((await warbler('--profile', 'a', 'devices', 'remove', '--', other)).stdout).toContain(`removed ${other}`);
    expect((await warbler('--profile', 'a', 'devices')).stdout.trim().split('\n')).toHaveLength(1);
    const refused = await fails(['--profile', 'a2', 'sync']);
    expect(refused.stderr).toMatch(/no account has this device key/);
  });

  it('shows the same safety number to both people and verifies only the number compared', async () => {
    const fromAlice = (await warbler('--profile', 'a', 'safety', 'bob')).stdout;
    const fromBob = (await warbler('--profile', 'b', 'safety', 'alice')).stdout;
    const digits = (out: string) => out.split('\n').slice(1).join('').replace(/\s/g, '');
    expect(digits(fromAlice)).toMatch(/^\d{60}$/);
    expect(digits(fromBob)).toBe(digits(fromAlice));
    const wrong = await fails(['--profile', 'a', 'verify', 'bob', '1'.repeat(60)]);
    expect(wrong.stderr).toMatch(/safety number with bob changed/);
    // Not a safety number at all: a usage error, not "changed".
    for (const typo of [digits(fromAlice).slice(1), `${digits(fromAlice).slice(1)}x`, '']) {
      const mistyped = await fails(['--profile', 'a', 'verify', 'bob', typo]);
      expect(mistyped).toEqual({ code: 2, stderr: 'warbler: verify needs NAME and the 60-digit NUMBER you compared (spaces allowed) (see warbler --help)\n' });
    }
    expect((await warbler('--profile', 'a', 'verify', 'bob', digits(fromAlice))).stdout).toContain('(verified)');
    expect((await warbler('--profile', 'a', 'safety', 'bob')).stdout).toContain('(verified)');
  });

  it('--key-file: the history key lives where the person says, and the profile opens only with it', async () => {
    const keyFile = path.join(dir, 'keys', 'kim.key');
    await warbler('--profile', 'k', '--server', url, '--key-file', keyFile, 'register', 'kim');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dir, 'k', 'history.key'))).toBe(false);
    await warbler('--profile', 'b', 'send', 'kim', 'to the key-file profile');
    expect((await warbler('--profile', 'k', '--key-file', keyFile, 'sync', '--json')).stdout).toContain('to the key-file profile');

    const missing = await fails(['--profile', 'k', 'sync']);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/the key file of .*k is missing .*--key-file/);
    const other = await fails(['--profile', 'k', '--key-file', path.join(dir, 'a', 'history.key'), 'sync']);
    expect(other.stderr).toMatch(/does not hold the history key of .*\(--key-file\)$/m);
  });

  it('WARBLER_PASSPHRASE: a passphrase instead of a key file, and a wrong one is a one-line error', async () => {
    const passphrase = { WARBLER_PASSPHRASE: 'pass phrase for pat' };
    await warblerWith(passphrase, '--profile', 'p', '--server', url, 'register', 'pat');
    expect(fs.readdirSync(path.join(dir, 'p')).sort()).toEqual(['history-key.json', 'history.sqlite', 'profile.json']);
    await warbler('--profile', 'b', 'send', 'pat', 'to the passphrase profile');
    expect((await warblerWith(passphrase, '--profile', 'p', 'sync', '--json')).stdout).toContain('to the passphrase profile');

    const wrong = await fails(['--profile', 'p', 'sync'], { WARBLER_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(`warbler: wrong passphrase for the history of ${path.join(dir, 'p')} (WARBLER_PASSPHRASE)\n`);
    const none = await fails(['--profile', 'p', 'sync']);
    expect(none.stderr).toMatch(/is protected by a passphrase \(give its passphrase in WARBLER_PASSPHRASE/);
    const short = await fails(['--profile', 'p', 'sync'], { WARBLER_PASSPHRASE: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('WARBLER_PASSPHRASE: a passphrase has at least 8 characters');
    const both = await fails(['--profile', 'p', '--key-file', 'x.key', 'sync'], passphrase);
    expect(both.stderr).toContain('give --key-file or WARBLER_PASSPHRASE, not both');
  });

  it('a WARBLER_LOG_LEVEL that is not a level is ignored: the profile opens, warnings only', async () => {
    for (const level of ['loud', 'DEBUG ']) {
      expect((await warblerWith({ WARBLER_LOG_LEVEL: level }, '--profile', 'b', 'history', 'alice')).stdout).toContain('hello from a script');
    }
  });

  it('--help lists the commands and global options', async () => {
    const { stdout } = await warbler('--help');
    for (const word of ['register', 'link', 'approve', 'devices', 'safety', 'verify', 'send', 'sync', '--follow', 'history', '--limit', 'web', '--profile', '--server', '--key-file', 'WARBLER_PASSPHRASE']) {
      expect(stdout).toContain(word);
    }
    const server = await run(process.execPath, [SERVER, '--help']);
    for (const word of ['--port', '--host', '--data', 'WARBLER_PORT', 'reset-account']) expect(server.stdout).toContain(word);
    const nobody = await run(process.execPath, [SERVER, 'reset-account', 'nobody', '--data', path.join(dir, 'elsewhere')]).catch((e: unknown) => e);
    expect(nobody).toMatchObject({ code: 1, stderr: 'warbler-server: no account is called "nobody"\n' });
  });

  it('the relay stops cleanly on SIGTERM and a restart loses nothing', async () => {
    await warbler('--profile', 'a', 'send', 'bob', 'kept across restart');
    server.kill('SIGTERM');
    const code = await new Promise((resolve) => server.once('exit', resolve));
    expect(code).toBe(0);
    await startServer();
    const { stdout } = await warbler('--profile', 'b', '--server', url, 'sync', '--json');
    expect(stdout).toContain('kept across restart');
  });
});
