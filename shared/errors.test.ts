import { describe, expect, it } from 'vitest';
import { ERRORS, ERROR_CODES, ErrorCode, IpcError, errorCodesAt, httpErrorBody, isShownErrorCode, type ErrorPlace } from './errors.js';
import { ErrorFrame, WireErrorCode } from './protocol.js';

/** The relay's error codes as protocol 2 shipped them: a client that knows these must keep understanding the relay. */
const WIRE_CODES_OF_PROTOCOL_2 = [
  'bad_json',
  'bad_frame',
  'frame_too_large',
  'unauthenticated',
  'already_authenticated',
  'bad_signature',
  'username_taken',
  'device_exists',
  'unknown_device',
  'unknown_recipient',
  'device_mismatch',
  'unknown_link',
  'bad_certificate',
  'bad_prekey',
  'no_prekeys',
  'forbidden',
  'rate_limited',
  'internal',
];
const WIRE_CODES_ADDED_IN_3 = ['queue_full', 'out_of_order'];

describe('the error table', () => {
  it('keeps the wire codes exactly as the protocol has them', () => {
    expect([...WireErrorCode.options].sort()).toEqual([...WIRE_CODES_OF_PROTOCOL_2, ...WIRE_CODES_ADDED_IN_3].sort());
    expect(errorCodesAt('wire')).toEqual(WireErrorCode.options);
  });

  it('names every code in snake_case, with a place, a kind and an English message', () => {
    const places: ErrorPlace[] = ['wire', 'client', 'vault', 'ipc', 'bridge', 'http'];
    for (const code of ERROR_CODES) {
      const spec = ERRORS[code];
      expect(code, code).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(spec.where.length, code).toBeGreaterThan(0);
      expect(spec.where.every((w) => places.includes(w)), code).toBe(true);
      expect(spec.message, code).toMatch(/^[a-zA-Z]/);
    }
  });

  it('gives every code the push API answers with an HTTP status and a number in ntfy’s scheme, each number once', () => {
    const numbers = new Set<number>();
    for (const code of errorCodesAt('http')) {
      const spec: { http?: number; ntfy?: number } = ERRORS[code];
      expect(spec.http, code).toBeGreaterThanOrEqual(400);
      // ntfy's scheme: the status, then two digits.
      expect(Math.floor(spec.ntfy! / 100), code).toBe(spec.http);
      expect(numbers.has(spec.ntfy!), `${code}'s number ${spec.ntfy} is taken`).toBe(false);
      numbers.add(spec.ntfy!);
    }
  });

  it('reuses ntfy’s numbers where the meaning is ntfy’s', () => {
    const ntfy = Object.fromEntries(errorCodesAt('http').map((code) => [code, (ERRORS[code] as { ntfy: number }).ntfy]));
    expect(ntfy).toMatchObject({
      bad_request: 40000,
      bad_delay: 40004,
      delay_too_small: 40005,
      delay_too_large: 40006,
      bad_priority: 40007,
      bad_since: 40008,
      bad_topic: 40009,
      not_utf8: 40011,
      bad_publish: 40017,
      bad_actions: 40018,
      bad_icon: 40021,
      bad_json: 40024,
      unauthorized: 40101,
      forbidden: 40301,
      not_found: 40401,
      rate_limited: 42901,
      too_many_subscriptions: 42903,
      internal: 50001,
    });
    // Warbler's own count down from …99, clear of ntfy's, which count up from …00/…01.
    expect(ntfy.bad_click).toBe(40099);
    expect(ntfy.push_too_large).toBe(41399);
  });

  it('answers in ntfy’s shape', () => {
    expect(httpErrorBody('bad_priority', 'invalid priority "9"', 'priority')).toEqual({ code: 40007, http: 400, error: 'invalid priority "9"', field: 'priority' });
    expect(httpErrorBody('internal')).toEqual({ code: 50001, http: 500, error: 'internal error' });
  });

  it('needs no params for a code the app shows as the generic line', () => {
    for (const code of ERROR_CODES) {
      if (ERRORS[code].kind === 'internal') expect('params' in ERRORS[code], code).toBe(false);
    }
  });

  it('shows a text of its own only for expected codes that reach the app', () => {
    expect(isShownErrorCode('username_taken')).toBe(true);
    expect(isShownErrorCode('bridge_closed')).toBe(true);
    expect(isShownErrorCode('internal')).toBe(false);
    expect(isShownErrorCode('bad_frame')).toBe(false);
    // The push API answers scripts, not people in the app.
    expect(isShownErrorCode('bad_priority')).toBe(false);
  });

  it('is what the wire and IPC schemas accept: a typo is refused, a newer host’s code is taken as internal', () => {
    expect(ErrorCode.safeParse('username_takn').success).toBe(false);
    const frame = { type: 'error', id: '1', code: 'unknown_recipient', message: 'no user is called "nobody"', params: { username: 'nobody' } };
    expect(ErrorFrame.parse(frame).params).toEqual({ username: 'nobody' });
    expect(ErrorFrame.safeParse({ ...frame, code: 'offline' }).success).toBe(false);
    expect(IpcError.parse({ code: 'something_new', message: 'from a newer host' })).toEqual({ code: 'internal', message: 'from a newer host' });
    expect(IpcError.parse({ code: 'too_many', message: 'm', params: { max: 256 } })).toEqual({ code: 'too_many', message: 'm', params: { max: 256 } });
    expect(IpcError.parse({ code: 'too_many', message: 'm', params: { max: { nested: true } } })).toEqual({ code: 'too_many', message: 'm' });
  });
});
