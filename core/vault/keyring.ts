// The OS keyring as the vault sees it. Electron's main process implements it with safeStorage's
// asynchronous API; tests use an in-memory one. Plain Node here: nothing of Electron leaks in.

export interface OsKeyring {
  /** Which keyring protects the key: 'keychain', 'dpapi', 'gnome_libsecret', 'kwallet6', 'basic_text', … (recorded in the wrap). */
  backend(): string;
  /** False where no real OS keyring protects secrets (Linux 'basic_text'): then the user chooses a passphrase. */
  available(): Promise<boolean>;
  encrypt(plain: string): Promise<Buffer>;
  /** shouldReEncrypt: the keyring rotated its key; wrap again. */
  decrypt(wrapped: Buffer): Promise<{ plain: string; shouldReEncrypt: boolean }>;
}
