import { describe, expect, it } from 'vitest';
import { createTypingSender, TYPING_IDLE_MS, TYPING_THROTTLE_MS } from './typing-sender.js';
import { fakeClock } from './fake-clock.test-helper.js';

describe('telling others "typing…"', () => {
  it('says typing at most once per throttle window, and stops after a pause', () => {
    const clock = fakeClock();
    const sent: boolean[] = [];
    const sender = createTypingSender({ send: (t) => sent.push(t), clock });
    sender.input(true);
    clock.advance(1000);
    sender.input(true);
    clock.advance(1000);
    sender.input(true);
    expect(sent).toEqual([true]);
    clock.advance(TYPING_THROTTLE_MS);
    sender.input(true);
    expect(sent).toEqual([true, true]);
    clock.advance(TYPING_IDLE_MS);
    expect(sent).toEqual([true, true, false]);
  });

  it('stops at once when the text is cleared or sent, and only once', () => {
    const clock = fakeClock();
    const sent: boolean[] = [];
    const sender = createTypingSender({ send: (t) => sent.push(t), clock });
    sender.input(true);
    sender.input(false);
    sender.stop();
    clock.advance(TYPING_IDLE_MS * 2);
    expect(sent).toEqual([true, false]);
  });
});
