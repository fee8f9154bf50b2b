import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_FILE, logLevel, openLogFile, openLogFileOrStderr, reportFatal, webLogsDir } from './log-file.js';
import { REDACTED, safeError, scrubText } from './log-redact.js';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-logs-'));
const files = (dir: string) => fs.readdirSync(dir).filter((name) => /^warbler\.\d+\.log$/.test(name)).sort();
const lines = (dir: string) =>
  files(dir)
    .flatMap((name) => fs.readFileSync(path.join(dir, name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the log file', () => {
  it('writes JSON lines to logs/warbler.<n>.log, private to this user', async () => {
    const dir = path.join(tmp(), 'logs');
    const log = await openLogFile({ dir, app: 'desktop', level: 'info' });
    log.logger.info({ state: 'online' }, 'relay connection');
    log.logger.debug('below the level');
    await log.close();
    expect(files(dir)).toEqual([LOG_FILE.replace('.log', '.1.log')]);
    const [line, ...rest] = lines(dir);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({ level: 30, app: 'desktop', state: 'online', msg: 'relay connection' });
    if (process.platform !== 'win32') {
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(dir, files(dir)[0]!)).mode & 0o777).toBe(0o600);
    }
  });

  it('goes on in the newest file after a restart', async () => {
    const dir = tmp();
    const first = await openLogFile({ dir, app: 'web' });
    first.logger.info('first run');
    await first.close();
    const second = await openLogFile({ dir, app: 'web' });
    second.logger.info('second run');
    await second.close();
    expect(lines(dir).map((l) => l.msg)).toEqual(['first run', 'second run']);
  });

  it('rolls by size and keeps only a few files', async () => {
    const dir = tmp();
    const log = await openLogFile({ dir, app: 'desktop', maxSize: '1k', keep: 2 });
    const filler = 'x'.repeat(200);
    for (let i = 0; i < 60; i++) {
      log.logger.info({ i, filler }, 'line');
      // Let the stream write and roll between lines, as a running app does.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await log.close();
    await waitFor(() => files(dir).length <= 2, 'old files to be removed');
    const names = files(dir);
    expect(names.length).toBeGreaterThanOrEqual(2);
    // The newest lines survive, numbered past the first file.
    expect(names.some((name) => name !== 'warbler.1.log')).toBe(true);
    expect(lines(dir).map((l) => l.i)).toContain(59);
    for (const name of names) expect(fs.statSync(path.join(dir, name)).size).toBeLessThan(1024 + 400);
  });

  it('hides secret-bearing fields and what errors quote', async () => {
    const dir = tmp();
    const log = await openLogFile({ dir, app: 'web', level: 'trace' });
    const secret = 'hunter2-the-message-text';
    log.logger.info(
      {
        text: secret,
        payload: { text: secret },
        envelope: { sealed: secret, body: secret },
        secretKey: secret,
        key: secret,
        token: secret,
        passphrase: secret,
        code: '123456789012345678',
        headers: { authorization: `Bearer ${secret}`, cookie: `warbler_1=${secret}` },
        push: { message: secret, title: secret, topic: 'ops' },
        from: 'alice',
      },
      'everything that must not show',
    );
    let parseError: unknown;
    try {
      JSON.parse(`${secret} {`);
    } catch (err) {
      parseError = err;
    }
    log.logger.error({ err: parseError }, 'a payload did not parse');
    const withExtras = Object.assign(new Error(`could not open http://127.0.0.1:1/?token=${'A1b2C3d4'.repeat(4)}`), { input: secret, code: 'E_TEST' });
    log.logger.warn({ err: withExtras }, 'an error with extras');
    await log.close();

    const written = files(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8')).join('');
    expect(written).not.toContain('hunter2');
    expect(written).not.toContain('123456789012345678');
    expect(written).not.toContain('A1b2C3d4');
    const [first, second, third] = lines(dir);
    expect(first).toMatchObject({ text: REDACTED, key: REDACTED, code: REDACTED, from: 'alice', push: { topic: 'ops', message: REDACTED } });
    expect(second?.err).toMatchObject({ type: 'SyntaxError', message: 'not valid JSON' });
    expect(third?.err).toMatchObject({ type: 'Error', code: 'E_TEST' });
    expect(third?.err).not.toHaveProperty('input');
    expect(String((third?.err as { stack?: string }).stack)).toMatch(/^\s+at /);
  });

  it('falls back to stderr when the folder cannot be made', async () => {
    const blocker = path.join(tmp(), 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const log = await openLogFileOrStderr({ dir: path.join(blocker, 'logs'), app: 'desktop', level: 'silent' });
    expect(log.dir).toBeNull();
    log.logger.info('goes nowhere at level silent');
    await log.close();
  });

  it('reports a fatal error in one line on stderr and in full in the log, written out at once', async () => {
    const dir = tmp();
    const log = await openLogFile({ dir, app: 'desktop' });
    const said: string[] = [];
    reportFatal(log, new Error('the keyring is gone'), 'could not start', { write: (text: string) => said.push(text) });
    // Read before close(): an exit right after reportFatal() gets no other chance to write.
    const [line] = lines(dir);
    expect(said).toEqual(['warbler: could not start: the keyring is gone\n']);
    expect(line).toMatchObject({ level: 60, msg: 'could not start', err: { message: 'the keyring is gone' } });
    await log.close();
  });

  it('takes its level from WARBLER_LOG_LEVEL, info by default', () => {
    expect(logLevel({})).toBe('info');
    expect(logLevel({ WARBLER_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevel({ WARBLER_LOG_LEVEL: 'loud' })).toBe('info');
  });

  it("puts the web host's logs beside the app's for the default profile, in the profile otherwise", () => {
    const env = { WARBLER_HOME: path.join(os.tmpdir(), 'home') };
    expect(webLogsDir(path.join(env.WARBLER_HOME, 'profile'), env)).toBe(path.join(env.WARBLER_HOME, 'logs'));
    expect(webLogsDir('/somewhere/alice', env)).toBe(path.resolve('/somewhere/alice/logs'));
  });
});

describe('scrubbing', () => {
  it('cuts keys, link codes and URL secrets from text, and keeps words and paths', () => {
    const key = 'q3Zk9VJm2xT7bN1pL8cR4sW6yH0fD5gA-eU_iOoKj0M';
    expect(scrubText(`bad key ${key}`)).toBe(`bad key ${REDACTED}`);
    expect(scrubText('code 123 456 789 012 345 678')).toBe(`code ${REDACTED}`);
    expect(scrubText(`${'ab'.repeat(32)} is the key`)).toBe(`${REDACTED} is the key`);
    expect(scrubText('wss://bob:pw@relay.example/x?token=abc&x=1')).toBe(`wss://${REDACTED}@relay.example/x?token=${REDACTED}&x=1`);
    expect(scrubText('not_subscribed: /home/alice/.config/Warbler/profile.json')).toBe('not_subscribed: /home/alice/.config/Warbler/profile.json');
  });

  it('serializes causes, and whatever is thrown that is not an Error', () => {
    const err = new Error('outer', { cause: new SyntaxError('Unexpected token \'h\', "hello" is not valid JSON') });
    expect(safeError(err).cause).toMatchObject({ type: 'SyntaxError', message: 'not valid JSON' });
    expect(safeError({ secret: 'x' })).toEqual({ type: 'object', message: '(not an Error)' });
  });
});
