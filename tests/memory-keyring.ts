// An OS keyring in memory, with what safeStorage does that matters to the vault: real encryption
// under a key the "OS" holds, a backend name, keyrings that cannot open each other's data, and key
// rotation (data under an older key still opens, with shouldReEncrypt).
import crypto from 'node:crypto';
import type { OsKeyring } from '../core/vault/keyring.js';

export class MemoryKeyring implements OsKeyring {
  private keys: Buffer[] = [crypto.randomBytes(32)];
  decrypts = 0;

  constructor(
    private readonly name: string,
    private readonly isAvailable = true,
  ) {}

  backend(): string {
    return this.name;
  }

  async available(): Promise<boolean> {
    return this.isAvailable;
  }

  async encrypt(plain: string): Promise<Buffer> {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async decrypt(wrapped: Buffer): Promise<{ plain: string; shouldReEncrypt: boolean }> {
    this.decrypts++;
    for (const [index, key] of this.keys.entries()) {
      try {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, 12));
        decipher.setAuthTag(wrapped.subarray(12, 28));
        const plain = Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]).toString('utf8');
        return { plain, shouldReEncrypt: index > 0 };
      } catch {
        // Not this key: try an older one.
      }
    }
    throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
  }

  /** The keyring starts using a new key; what it wrapped before still opens. */
  rotate(): void {
    this.keys = [crypto.randomBytes(32), ...this.keys];
  }

  /** The same secrets under another backend name (e.g. kwallet5 → kwallet6 with the wallet migrated). */
  renamed(name: string): MemoryKeyring {
    const other = new MemoryKeyring(name, this.isAvailable);
    other.keys = this.keys;
    return other;
  }
}
