import { describe, expect, it } from 'vitest';
import { parseCachedAppearance, pickLanguage } from './appearance.js';

describe('the language the UI takes', () => {
  it("the page's ?lang= first, then the choice in Settings, then the system's", () => {
    expect(pickLanguage('zh-CN', 'en', ['zh-CN'])).toBe('en');
    expect(pickLanguage('zh-CN', null, ['en-US'])).toBe('zh-CN');
    expect(pickLanguage('en', null, ['zh-TW'])).toBe('en');
    expect(pickLanguage('system', null, ['fr-FR', 'zh-Hans-CN', 'en'])).toBe('zh-CN');
    expect(pickLanguage('system', 'de', ['fr', 'de'])).toBe('en');
    expect(pickLanguage('system', '', ['en-GB'])).toBe('en');
  });
});

describe('the copy of the choices kept for the first paint', () => {
  it('takes what is valid and the system for the rest', () => {
    expect(parseCachedAppearance(JSON.stringify({ theme: 'dark', language: 'zh-CN' }))).toEqual({ theme: 'dark', language: 'zh-CN' });
    expect(parseCachedAppearance(JSON.stringify({ theme: 'dark' }))).toEqual({ theme: 'dark', language: 'system' });
    expect(parseCachedAppearance(null)).toEqual({ theme: 'system', language: 'system' });
    expect(parseCachedAppearance('{ not json')).toEqual({ theme: 'system', language: 'system' });
    expect(parseCachedAppearance(JSON.stringify({ theme: 'sepia', language: 'en' }))).toEqual({ theme: 'system', language: 'system' });
  });
});
