import { describe, expect, it } from 'vitest';
import { unreadTitle } from './unread-title.js';

describe('the window title', () => {
  it('counts what is unread before the name, and shows the bare name otherwise', () => {
    expect(unreadTitle('Warbler', 4)).toBe('(4) Warbler');
    expect(unreadTitle('Warbler', 0)).toBe('Warbler');
    expect(unreadTitle('Warbler', 12345)).toBe('(999+) Warbler');
  });
});
