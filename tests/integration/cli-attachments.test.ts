// Files from the warbler CLI, run as a script runs it (built JS) against warbler-server: send
// --file, the attachments of sync --json, and download --out, with one-line failures.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesUnder, sha256 } from '../attachment-fixture.js';
import { startRelayProcess, type RelayProcess } from '../../bench/process.js';
import { randomFile } from '../../bench/random-file.js';
import { tempDir } from '../helpers.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(root, 'dist/cli/main.js');

let dir: string;
let relay: RelayProcess;
let url: string;

const warbler = (...args: string[]) => run(process.execPath, [CLI, ...args], { cwd: dir, env: { ...process.env, WARBLER_HOME: path.join(dir, 'home') } });

async function fails(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    await warbler(...args);
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
  throw new Error(`warbler ${args.join(' ')} succeeded`);
}

interface SyncLine {
  id: string;
  text: string;
  attachments?: { id: string; name: string; size: number; type: string }[];
}

const syncJson = async (profile: string): Promise<SyncLine[]> =>
  (await warbler('--profile', profile, 'sync', '--json')).stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as SyncLine);

beforeAll(async () => {
  expect(fs.existsSync(CLI), 'run npm run build first').toBe(true);
  dir = tempDir();
  relay = await startRelayProcess(path.join(dir, 'relay'), undefined, ['--attachment-max-size', '8M']);
  url = relay.url;
  await warbler('--profile', 'a', '--server', url, 'register', 'alice');
  await warbler('--profile', 'b', '--server', url, 'register', 'bob');
});

afterAll(async () => {
  await relay.stop();
});

describe('warbler CLI with files', () => {
  it('send --file, sync --json and download --out carry files end to end', async () => {
    const data = path.join(dir, 'data.bin');
    const digest = randomFile(data, 3 * 1024 * 1024 + 5);
    const photo = path.join(dir, 'photo.jpg');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#208040' } }).jpeg().withExif({ IFD0: { Model: 'SecretModel' } }).toFile(photo);

    const sent = await warbler('--profile', 'a', 'send', 'bob', 'two files', '--file', data, '--file', photo, '--json');
    const { id, attachments } = JSON.parse(sent.stdout) as { id: string; attachments: string[] };
    expect(attachments).toHaveLength(2);

    const [line] = await syncJson('b');
    expect(line).toMatchObject({ id, text: 'two files' });
    expect(line!.attachments).toEqual([
      { id: attachments[0], name: 'data.bin', size: 3 * 1024 * 1024 + 5, type: 'application/octet-stream' },
      { id: attachments[1], name: 'photo.jpg', size: expect.any(Number), type: 'image/jpeg' },
    ]);

    const out = path.join(dir, 'out.bin');
    expect((await warbler('--profile', 'b', 'download', attachments[0]!, '--out', out)).stdout.trim()).toBe(out);
    expect(sha256(out)).toBe(digest);
    const outPhoto = path.join(dir, 'out.jpg');
    await warbler('--profile', 'b', 'download', attachments[1]!, '--out', outPhoto);
    expect(fs.readFileSync(outPhoto).includes('SecretModel')).toBe(false);
    expect((await sharp(outPhoto).metadata()).width).toBe(64);

    // A caption is optional; --as-file sends an image as it is.
    await warbler('--profile', 'a', 'send', 'bob', '--file', photo, '--as-file');
    const [asFile] = await syncJson('b');
    expect(asFile).toMatchObject({ text: '', attachments: [{ name: 'photo.jpg', size: fs.statSync(photo).size, type: 'image/jpeg' }] });
    await warbler('--profile', 'b', 'download', asFile!.attachments![0]!.id, '--out', path.join(dir, 'as-file.jpg'));
    expect(sha256(path.join(dir, 'as-file.jpg'))).toBe(sha256(photo));
    // Without --json, a person reads what came and how to fetch it.
    await warbler('--profile', 'a', 'send', 'bob', 'readable', '--file', data);
    expect((await warbler('--profile', 'b', 'sync')).stdout).toMatch(/alice: readable \[file data\.bin, 3 MB: warbler download [A-Za-z0-9_-]{22}\]/);
  });

  it('forward sends a copy of a message with its files; search --has-attachment finds messages with files', async () => {
    const data = path.join(dir, 'forwarded.bin');
    const digest = randomFile(data, 200_000);
    await warbler('--profile', 'c', '--server', url, 'register', 'carol');
    const { id } = JSON.parse((await warbler('--profile', 'a', 'send', 'bob', 'minutes', '--file', data, '--json')).stdout) as { id: string };
    await warbler('--profile', 'a', 'send', 'bob', 'minutes without a file');
    await syncJson('b');
    const blobs = filesUnder(path.join(dir, 'relay', 'blobs')).length;

    const copy = JSON.parse((await warbler('--profile', 'b', 'forward', id, 'carol', '--json')).stdout) as { id: string };
    expect(filesUnder(path.join(dir, 'relay', 'blobs'))).toHaveLength(blobs);
    const [line] = await syncJson('c');
    expect(line).toMatchObject({ id: copy.id, text: 'minutes', forwarded: true, attachments: [{ name: 'forwarded.bin', size: 200_000 }] });
    const out = path.join(dir, 'forwarded-out.bin');
    await warbler('--profile', 'c', 'download', line!.attachments![0]!.id, '--out', out);
    expect(sha256(out)).toBe(digest);
    expect((await warbler('--profile', 'c', 'history', 'bob')).stdout).toMatch(/bob: \(forwarded\) minutes \[file/);

    const found = async (...args: string[]) =>
      (await warbler('--profile', 'b', 'search', ...args, '--json')).stdout.trim().split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect((await found('minutes', '--has-attachment')).sort()).toEqual([id, copy.id].sort());
    expect(await found('minutes')).toHaveLength(3);
    expect(await found('--has-attachment', '--from', 'bob')).toEqual([copy.id]);
    expect(await fails(['--profile', 'b', 'forward', id])).toMatchObject({ code: 2, stderr: expect.stringContaining('forward needs ID') });
    expect(await fails(['--profile', 'b', 'forward', 'no-such-id', 'carol'])).toMatchObject({ code: 2, stderr: expect.stringContaining('no message no-such-id') });
  });

  it('fails in one line: a damaged or missing file, a file over the limit, a path that is not a file', async () => {
    const data = path.join(dir, 'small.bin');
    randomFile(data, 200_000);
    await warbler('--profile', 'a', 'send', 'bob', 'to be tampered', '--file', data);
    const [line] = await syncJson('b');
    const id = line!.attachments![0]!.id;
    const stored = filesUnder(path.join(dir, 'relay')).find((f) => path.basename(f) === id)!;
    const bytes = fs.readFileSync(stored);
    bytes[1000] = bytes[1000]! ^ 0xff;
    fs.writeFileSync(stored, bytes);
    const damaged = await fails(['--profile', 'b', 'download', id, '--out', path.join(dir, 'damaged.bin')]);
    expect(damaged).toEqual({ code: 1, stderr: 'warbler: the file was changed or damaged on its way\n' });
    expect(fs.existsSync(path.join(dir, 'damaged.bin'))).toBe(false);

    fs.rmSync(stored);
    const missing = await fails(['--profile', 'b', 'download', id, '--out', path.join(dir, 'missing.bin')]);
    expect(missing).toEqual({ code: 1, stderr: 'warbler: the file is no longer on the relay\n' });
    const unknown = await fails(['--profile', 'b', 'download', 'AAAAAAAAAAAAAAAAAAAAAA', '--out', path.join(dir, 'x')]);
    expect(unknown.stderr).toMatch(/^warbler: no file AAAAAAAAAAAAAAAAAAAAAA in this profile \(run "warbler sync" first/);

    const big = path.join(dir, 'big.bin');
    randomFile(big, 9 * 1024 * 1024);
    const tooBig = await fails(['--profile', 'a', 'send', 'bob', '--file', big]);
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toBe(`warbler: ${big}: the relay takes files of at most 8 MB\n`);
    const notAFile = await fails(['--profile', 'a', 'send', 'bob', 'x', '--file', dir]);
    expect(notAFile.stderr).toBe(`warbler: ${dir}: no such file\n`);
    expect((await fails(['--profile', 'a', 'send', 'bob', 'x', '--as-file'])).code).toBe(2);
    expect((await fails(['--profile', 'b', 'download', id])).code).toBe(2);
    expect((await fails(['--profile', 'b', 'sync', '--out', 'x'])).code).toBe(2);
    // Nothing half-sent reached bob.
    expect(await syncJson('b')).toEqual([]);
  });

  it('--help tells of files', async () => {
    const { stdout } = await warbler('--help');
    for (const word of ['--file PATH', '--as-file', 'download ID --out PATH']) expect(stdout).toContain(word);
  });
});
