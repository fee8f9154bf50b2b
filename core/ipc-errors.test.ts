// From an error thrown in core to what the page is sent, and what the log keeps.
import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SchemaTooNewError } from '../shared/sqlite-migrations.js';
import { INTERNAL_ERROR, ServiceError, logFailure, toIpcError } from './ipc-errors.js';
import { safeLoggerOptions } from './log-redact.js';
import { RelayError } from './relay/error.js';
import { WrongKeyError } from './vault/cipher.js';
import { VaultError } from './vault/key-source.js';
import { ProfileInUseError } from './vault/profile-lock.js';

function memoryLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'trace', ...safeLoggerOptions() }, stream), lines };
}

describe('toIpcError', () => {
  it('gives each error core raises on purpose its code from the table, with the params its text needs', () => {
    const frame = { type: 'error' as const, id: '1', code: 'unknown_recipient' as const, message: 'no user is called "nobody"', params: { username: 'nobody' } };
    expect(toIpcError(new RelayError(frame.code, frame.message, frame))).toEqual({ code: 'unknown_recipient', message: frame.message, params: { username: 'nobody' } });
    expect(toIpcError(new RelayError('too_many', 'a group has at most 256 members', undefined, { max: 256 }))).toEqual({
      code: 'too_many',
      message: 'a group has at most 256 members',
      params: { max: 256 },
    });
    expect(toIpcError(new RelayError('offline', 'not connected to the relay'))).toEqual({ code: 'offline', message: 'not connected to the relay' });
    expect(toIpcError(new VaultError('wrong_passphrase', 'wrong passphrase'))).toEqual({ code: 'wrong_passphrase', message: 'wrong passphrase' });
    expect(toIpcError(new SchemaTooNewError('/p/history.sqlite', 9, 4))).toMatchObject({ code: 'schema_too_new' });
    expect(toIpcError(new ProfileInUseError('/p', 4242))).toMatchObject({ code: 'in_use' });
    expect(toIpcError(new WrongKeyError('/p/history.sqlite'))).toMatchObject({ code: 'wrong_key' });
    expect(toIpcError(new ServiceError('not_subscribed', 'not subscribed to "ops"', { topic: 'ops' }))).toEqual({
      code: 'not_subscribed',
      message: 'not subscribed to "ops"',
      params: { topic: 'ops' },
    });
  });

  it('names the field a request got wrong', () => {
    const parsed = z.object({ username: z.string().min(2) }).safeParse({ username: 'x' });
    expect(parsed.success).toBe(false);
    expect(toIpcError(parsed.error)).toMatchObject({ code: 'bad_request', params: { field: 'username' } });
  });

  it('takes a refused connection for an unreachable relay', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(toIpcError(refused)).toEqual({ code: 'offline', message: 'could not reach the relay' });
  });

  it('sends nothing of an unexpected error but `internal`', () => {
    const surprise = new TypeError("Cannot read properties of undefined (reading 'devices') in /home/alice/.config/Warbler/profile");
    expect(toIpcError(surprise)).toEqual({ code: 'internal', message: 'internal error' });
    expect(toIpcError('a string thrown by a library')).toEqual(INTERNAL_ERROR);
    expect(toIpcError(undefined)).toEqual(INTERNAL_ERROR);
  });
});

describe('logFailure', () => {
  it('logs an unexpected error in full, as an error, with the channel', () => {
    const { log, lines } = memoryLog();
    const surprise = new TypeError("Cannot read properties of undefined (reading 'devices')");
    logFailure(log, 'conversations:open', toIpcError(surprise), surprise);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, channel: 'conversations:open', msg: 'request failed', err: { type: 'TypeError' } });
    expect((lines[0]!.err as { message: string }).message).toBe("Cannot read properties of undefined (reading 'devices')");
    expect((lines[0]!.err as { stack: string }).stack).toMatch(/^\s+at /);
  });

  it('logs a code the page shows as the generic line in full too', () => {
    const { log, lines } = memoryLog();
    const unreadable = new RelayError('bad_frame', 'unreadable devices result: devices: expected array');
    logFailure(log, 'conversations:open', toIpcError(unreadable), unreadable);
    expect(lines[0]).toMatchObject({ level: 50, err: { type: 'RelayError', message: 'unreadable devices result: devices: expected array', code: 'bad_frame' } });
  });

  it('logs an expected refusal by its code alone, and warns when its text would lack a param', () => {
    const { log, lines } = memoryLog();
    const taken = new RelayError('username_taken', 'the username "alice" is taken');
    logFailure(log, 'account:register', toIpcError(taken), taken);
    expect(lines).toEqual([expect.objectContaining({ level: 20, channel: 'account:register', errorCode: 'username_taken', msg: 'request refused' })]);
    expect(JSON.stringify(lines)).not.toContain('alice');

    const bare = new RelayError('unknown_recipient', 'no user is called "nobody"');
    logFailure(log, 'conversations:open', toIpcError(bare), bare);
    expect(lines[1]).toMatchObject({ level: 40, errorCode: 'unknown_recipient', missing: ['username'] });
  });
});
