// The history key: 32 random bytes per profile. As a raw SQLCipher key it opens history.sqlite;
// subkeys derived from it seal the profile's secret keys and check a candidate key, so the raw key
// itself serves one purpose only.
import { randomBytes, sameBytes, subkey, toB64, fromB64 } from '../../shared/crypto.js';

export const HISTORY_KEY_BYTES = 32;

export class HistoryKey {
  private constructor(private readonly bytes: Uint8Array) {}

  static generate(): HistoryKey {
    return new HistoryKey(randomBytes(HISTORY_KEY_BYTES));
  }

  /** undefined when these are not 32 bytes. */
  static fromBytes(bytes: Uint8Array): HistoryKey | undefined {
    return bytes.length === HISTORY_KEY_BYTES ? new HistoryKey(Uint8Array.from(bytes)) : undefined;
  }

  static fromBase64(text: string): HistoryKey | undefined {
    try {
      return HistoryKey.fromBytes(fromB64(text));
    } catch {
      return undefined;
    }
  }

  /** For wrapping: the raw key as base64url. */
  toBase64(): string {
    return toB64(this.bytes);
  }

  toHex(): string {
    return Buffer.from(this.bytes).toString('hex');
  }

  /** The value SQLite3MultipleCiphers takes as a raw key (no KDF): x'<64 hex digits>'. */
  get sqlLiteral(): string {
    return `x'${this.toHex()}'`;
  }

  /** A value stored next to the wraps that tells the right key from a wrong one without trying the database. */
  get check(): string {
    return toB64(subkey(this.bytes, 'history-key-check-v1'));
  }

  matches(check: string): boolean {
    try {
      return sameBytes(fromB64(this.check), fromB64(check));
    } catch {
      return false;
    }
  }

  /** The key that seals the secret keys in profile.json. */
  get profileKey(): Uint8Array {
    return subkey(this.bytes, 'profile-secrets-v1');
  }
}
