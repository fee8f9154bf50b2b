import { describe, expect, it } from 'vitest';
import { deviceFingerprint, sortDevices } from './devices.js';

const KEY = 'Ab-d_fGhIjKlMnOpQrStUvWxYz0123456789abcdefg';

describe('device fingerprints', () => {
  it('shows the first 8 characters of the key in two groups of 4, case and all', () => {
    expect(KEY).toHaveLength(43);
    expect(deviceFingerprint(KEY)).toBe('Ab-d _fGh');
  });

  it('copes with a key shorter than a fingerprint', () => {
    expect(deviceFingerprint('abcde')).toBe('abcd e');
    expect(deviceFingerprint('')).toBe('');
  });
});

describe('the device list order', () => {
  it('puts this device first and the others by key, whatever order they came in', () => {
    const list = [
      { deviceKey: 'c', current: false },
      { deviceKey: 'b', current: true },
      { deviceKey: 'a', current: false },
    ];
    expect(sortDevices(list).map((d) => d.deviceKey)).toEqual(['b', 'a', 'c']);
    expect(list.map((d) => d.deviceKey)).toEqual(['c', 'b', 'a']);
  });
});
