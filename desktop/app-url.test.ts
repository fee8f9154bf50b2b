import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, isAppUrl } from './app-url.js';

describe('the app\'s own URLs', () => {
  it('are app://warbler/…', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html`)).toBe(true);
    expect(isAppUrl('app://warbler/')).toBe(true);
    expect(isAppUrl('app://warbler/index.html#/chat')).toBe(true);
  });

  it('nothing else is', () => {
    for (const url of ['app://evil/index.html', 'https://warbler/index.html', 'file:///index.html', 'app://x@warbler/', 'app://warbler:81/', 'not a url', '']) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });
});
