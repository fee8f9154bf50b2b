// The OS keyring behind the vault's small interface: Electron's safeStorage, asynchronous API
// (the synchronous one is gone in Electron 46). macOS Keychain, Windows DPAPI, and on Linux
// libsecret or KWallet; 'basic_text' on Linux means no keyring protects anything.
import { safeStorage } from 'electron';
import type { OsKeyring } from '../../core/vault/keyring.js';

export const electronKeyring: OsKeyring = {
  backend() {
    if (process.platform === 'darwin') return 'keychain';
    if (process.platform === 'win32') return 'dpapi';
    return safeStorage.getSelectedStorageBackend();
  },
  async available() {
    if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
    if (process.platform !== 'linux') return true;
    const backend = safeStorage.getSelectedStorageBackend();
    return backend !== 'basic_text' && backend !== 'unknown';
  },
  encrypt: (plain) => safeStorage.encryptStringAsync(plain),
  async decrypt(wrapped) {
    const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(wrapped);
    return { plain: result, shouldReEncrypt };
  },
};
