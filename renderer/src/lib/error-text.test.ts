import { describe, expect, it } from 'vitest';
import { standaloneI18n } from './i18n-options.js';
import { ERRORS, ERROR_CODES, isShownErrorCode } from '../../../shared/errors.js';
import { en } from '../locales/en.js';
import { zhCN } from '../locales/zh-CN.js';
import { errorText, failureOf, translatorOf, type Translator } from './error-text.js';

const LANGUAGES = { en, 'zh-CN': zhCN } as const;

const translator = (lng: keyof typeof LANGUAGES): Translator => translatorOf(standaloneI18n(lng));

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const SAMPLE: Record<string, string | number> = { username: 'nobody', max: 256, digits: 18, topic: 'ops-alerts', owner: 'alice', fingerprint: '0a1b2c3d 4e5f6a7b 8c9d0e1f 2a3b4c5d 6e7f8a9b' };

describe('error texts', () => {
  for (const [lng, messages] of Object.entries(LANGUAGES)) {
    const texts: Record<string, string> = messages.errors;

    it(`${lng}: has a text for every code a person can meet, using exactly the params the table declares`, () => {
      const shown = ERROR_CODES.filter(isShownErrorCode);
      expect(shown.length).toBeGreaterThan(30);
      for (const code of shown) {
        expect(texts[code], `${lng} has no text for ${code}`).toEqual(expect.any(String));
        const declared: readonly string[] = 'params' in ERRORS[code] ? (ERRORS[code] as { params: readonly string[] }).params : [];
        expect(placeholders(texts[code]!), `${lng} ${code}`).toEqual([...declared].sort());
      }
    });

    it(`${lng}: has no text for a code that is internal, only the push API's, or not in the table`, () => {
      for (const key of Object.keys(texts)) {
        if (key === 'internal') continue;
        expect(ERROR_CODES.includes(key as never) && isShownErrorCode(key as never), `${lng} errors.${key}`).toBe(true);
      }
    });
  }

  it('shows each code’s own text with its params, in the page’s language', () => {
    const failure = { code: 'unknown_recipient', params: { username: 'nobody' } };
    expect(errorText(translator('en'), failure)).toBe('There is no user called nobody.');
    expect(errorText(translator('zh-CN'), failure)).toBe('没有名为 nobody 的用户。');
    expect(errorText(translator('zh-CN'), { code: 'username_taken' })).toBe('该用户名已被占用，请换一个。');
    for (const lng of ['en', 'zh-CN'] as const) {
      const t = translator(lng);
      for (const code of ERROR_CODES.filter(isShownErrorCode)) {
        const text = errorText(t, { code, params: SAMPLE });
        expect(text, `${lng} ${code}`).not.toBe(errorText(t, { code: 'internal' }));
        expect(text, `${lng} ${code}`).not.toContain('{{');
      }
    }
  });

  it('shows the generic line for an internal code, an unknown one, or a text whose params are missing', () => {
    for (const lng of ['en', 'zh-CN'] as const) {
      const t = translator(lng);
      const generic = LANGUAGES[lng].errors.internal;
      expect(errorText(t, { code: 'internal' })).toBe(generic);
      expect(errorText(t, { code: 'bad_frame' })).toBe(generic);
      expect(errorText(t, { code: 'bridge_send_failed' })).toBe(generic);
      expect(errorText(t, { code: 'no_such_code_yet' })).toBe(generic);
      expect(errorText(t, { code: 'errors.internal' })).toBe(generic);
      expect(errorText(t, { code: 'unknown_recipient' })).toBe(generic);
      expect(errorText(t, null)).toBe(generic);
    }
    expect(en.errors.internal).toBe('Something went wrong. The details are in Warbler’s log.');
  });

  it('says what to fix when a refused request names its field', () => {
    expect(errorText(translator('en'), { code: 'bad_request', params: { field: 'username' } })).toBe(en.invalid.username);
    expect(errorText(translator('zh-CN'), { code: 'bad_request', params: { field: 'serverUrl' } })).toBe(zhCN.invalid.serverUrl);
    expect(errorText(translator('en'), { code: 'bad_request', params: { field: 'somethingElse' } })).toBe(en.errors.bad_request);
    expect(errorText(translator('en'), { code: 'bad_request' })).toBe(en.errors.bad_request);
  });
});

describe('failureOf', () => {
  it('reads the IpcError a rejected invoke carries, and nothing else', () => {
    expect(failureOf({ code: 'too_many', message: 'a group has at most 256 members', params: { max: 256 } })).toEqual({
      code: 'too_many',
      message: 'a group has at most 256 members',
      params: { max: 256 },
    });
    expect(failureOf(Object.assign(new Error('The Warbler host is not reachable.'), { code: 'bridge_unavailable' }))).toMatchObject({ code: 'bridge_unavailable' });
    expect(failureOf({ code: 'too_many', message: 'm', params: { max: { nested: 1 } } })).toEqual({ code: 'too_many', message: 'm' });
    expect(failureOf(new TypeError('x is undefined'))).toBeNull();
    expect(failureOf('text')).toBeNull();
    expect(failureOf(null)).toBeNull();
  });
});
