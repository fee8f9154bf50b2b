import { describe, expect, it } from 'vitest';
import { TIMER_CHOICES, timerText } from './timer-text.js';

describe('timer text', () => {
  it("writes each of the app's choices in the reader's language", () => {
    const choices = TIMER_CHOICES.filter((c): c is number => c !== null);
    expect(choices.map((ms) => timerText(ms, 'en'))).toEqual(['30 seconds', '5 minutes', '1 hour', '1 day', '1 week', '4 weeks']);
    expect(timerText(3600_000, 'zh-CN')).toBe('1小时');
    // A timer set by a script, in no unit of its own.
    expect(timerText(1500, 'en')).toBe('1.5 seconds');
  });
});
