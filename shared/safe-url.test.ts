import { describe, expect, it } from 'vitest';
import { httpUrl } from './safe-url.js';

describe('URLs a push may lead to', () => {
  it('accepts absolute http(s) URLs', () => {
    expect(httpUrl('https://ci.example.org/run/7')).toBe('https://ci.example.org/run/7');
    expect(httpUrl(' HTTP://Example.org ')).toBe('http://example.org/');
  });

  it('refuses every other kind', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<b>hi</b>',
      'file:///etc/passwd',
      'ftp://example.org',
      '//example.org',
      '/settings',
      'http:example.org',
      'https://',
      'not a url',
      '',
      null,
      undefined,
    ]) {
      expect(httpUrl(url)).toBeNull();
    }
  });
});
