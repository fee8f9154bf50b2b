import { describe, expect, it } from 'vitest';
import { createFreshness } from './freshness.js';

describe('a read and the changes heard meanwhile', () => {
  it('keeps a read that nothing overtook', () => {
    const fresh = createFreshness();
    const ticket = fresh.ticket('bob');
    expect(fresh.isCurrent('bob', ticket)).toBe(true);
  });

  it('drops a read overtaken by a change for the same key only', () => {
    const fresh = createFreshness();
    const bob = fresh.ticket('bob');
    const carol = fresh.ticket('carol');
    fresh.changed('bob');
    expect(fresh.isCurrent('bob', bob)).toBe(false);
    expect(fresh.isCurrent('carol', carol)).toBe(true);
    const later = fresh.ticket('bob');
    expect(fresh.isCurrent('bob', later)).toBe(true);
  });
});
