import { describe, expect, it } from 'vitest';
import { timeOptions } from './time-options.js';

describe('timeOptions', () => {
  it('offers every quarter hour, in order, in the language of the UI', () => {
    const en = timeOptions('en', []);
    expect(en).toHaveLength(96);
    expect(en[0]).toEqual({ value: '00:00', label: '12:00 AM' });
    expect(en.find((o) => o.value === '22:00')?.label).toBe('10:00 PM');
    const zh = timeOptions('zh-CN', []);
    expect(zh.find((o) => o.value === '22:00')?.label).toBe('22:00');
    expect(zh.find((o) => o.value === '07:30')?.label).toBe('7:30');
  });

  it('keeps a time set off the steps, in its place', () => {
    const options = timeOptions('zh-CN', ['22:07', '07:00']);
    expect(options).toHaveLength(97);
    const at = options.findIndex((o) => o.value === '22:07');
    expect(options[at - 1]?.value).toBe('22:00');
    expect(options[at + 1]?.value).toBe('22:15');
  });

  it('ignores a kept value that is no time of day', () => {
    expect(timeOptions('en', ['24:00', '7:5', ''])).toHaveLength(96);
  });
});
