import { describe, expect, it } from 'vitest';
import { passwordStoreFlag } from './password-store.js';

describe('the flag that brings a Linux keyring back', () => {
  it('names the store the way Electron’s --password-store takes it', () => {
    expect(passwordStoreFlag('gnome_libsecret')).toBe('--password-store=gnome-libsecret');
    expect(passwordStoreFlag('kwallet6')).toBe('--password-store=kwallet6');
  });

  it('is none where the OS has one keyring, and for basic_text, which protects nothing', () => {
    expect(passwordStoreFlag('keychain')).toBeNull();
    expect(passwordStoreFlag('dpapi')).toBeNull();
    expect(passwordStoreFlag('basic_text')).toBeNull();
    expect(passwordStoreFlag('constructor')).toBeNull();
  });
});
