import { describe, expect, it } from 'vitest';
import { createIdleTracker, IDLE_TIMEOUT_MS } from './idle.js';
import { fakeClock } from './fake-clock.test-helper.js';

describe('idle → away', () => {
  it('goes away after five minutes without activity, and back online on activity', () => {
    const clock = fakeClock();
    const changes: string[] = [];
    const tracker = createIdleTracker({ timeoutMs: IDLE_TIMEOUT_MS, clock, onChange: (s) => changes.push(s) });
    clock.advance(4 * 60_000);
    tracker.activity();
    clock.advance(4 * 60_000);
    expect(changes).toEqual([]);
    clock.advance(60_000 + 1);
    expect(changes).toEqual(['away']);
    tracker.activity();
    expect(changes).toEqual(['away', 'online']);
  });

  it('counts a hidden window as idle, ignores activity while hidden, and wakes on becoming visible', () => {
    const clock = fakeClock();
    const changes: string[] = [];
    const tracker = createIdleTracker({ timeoutMs: IDLE_TIMEOUT_MS, clock, onChange: (s) => changes.push(s) });
    tracker.setHidden(true);
    clock.advance(2 * 60_000);
    tracker.activity();
    clock.advance(3 * 60_000);
    expect(changes).toEqual(['away']);
    tracker.setHidden(false);
    expect(changes).toEqual(['away', 'online']);
    tracker.dispose();
    clock.advance(IDLE_TIMEOUT_MS * 2);
    expect(changes).toEqual(['away', 'online']);
  });
});
