// This device's prekeys: the secret halves stay here, the public halves go to the relay. A signed
// prekey is replaced every 7 days and its secret kept 30 days more (messages sealed to it may still
// be on the way); a one-time prekey's secret is deleted once a session was made from it.
// Its table is made by the history's numbered migrations (core/migrations/).
import type Database from 'better-sqlite3-multiple-ciphers';
import { fromB64, toB64, type IdentityKeyPair } from '../../shared/crypto.js';
import { generateDhKeyPair, type DhKeyPair } from '../../shared/e2e/primitives.js';
import { signPreKey } from '../../shared/e2e/x3dh.js';
import { ONE_TIME_PREKEYS, type OneTimePreKey, type PreKeyUpload, type SignedPreKey } from '../../shared/protocol.js';

export const SIGNED_PREKEY_ROTATE_MS = 7 * 86_400_000;
export const SIGNED_PREKEY_KEEP_MS = 30 * 86_400_000;

interface Row {
  id: number;
  public_key: string;
  secret_key: string;
  created_at: number;
}

const pair = (row: Row): DhKeyPair => ({ publicKey: fromB64(row.public_key), secretKey: fromB64(row.secret_key) });

export class PreKeyStore {
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly identity: IdentityKeyPair,
  ) {
    this.q = {
      insert: db.prepare('INSERT INTO prekeys (kind, public_key, secret_key, created_at) VALUES (?, ?, ?, ?)'),
      current: db.prepare("SELECT * FROM prekeys WHERE kind = 'signed' AND retired_at IS NULL ORDER BY id DESC LIMIT 1"),
      signed: db.prepare("SELECT * FROM prekeys WHERE kind = 'signed' AND id = ?"),
      oneTime: db.prepare("SELECT * FROM prekeys WHERE kind = 'one-time' AND id = ?"),
      remove: db.prepare('DELETE FROM prekeys WHERE id = ?'),
      retire: db.prepare("UPDATE prekeys SET retired_at = ? WHERE kind = 'signed' AND retired_at IS NULL"),
      dropRetired: db.prepare("DELETE FROM prekeys WHERE kind = 'signed' AND retired_at < ?"),
    };
  }

  /** A new device's first upload: a signed prekey and 100 one-time prekeys. */
  initial(now: number): PreKeyUpload & { signedPreKey: SignedPreKey } {
    return this.db.transaction(() => ({ signedPreKey: this.newSignedPreKey(now), oneTimePreKeys: this.newOneTimePreKeys(ONE_TIME_PREKEYS, now) }))();
  }

  /** One-time prekeys to upload so the relay holds 100 again. */
  refill(remaining: number, now: number): OneTimePreKey[] {
    const missing = ONE_TIME_PREKEYS - remaining;
    return missing > 0 ? this.db.transaction(() => this.newOneTimePreKeys(missing, now))() : [];
  }

  /** A new signed prekey when the current one is 7 days old (or missing); old secrets past 30 days go. */
  rotate(now: number): SignedPreKey | undefined {
    return this.db.transaction(() => {
      this.q.dropRetired.run(now - SIGNED_PREKEY_KEEP_MS);
      const current = this.q.current.get() as Row | undefined;
      if (current && now - current.created_at < SIGNED_PREKEY_ROTATE_MS) return undefined;
      this.q.retire.run(now);
      return this.newSignedPreKey(now);
    })();
  }

  signed(id: number): DhKeyPair | undefined {
    const row = this.q.signed.get(id) as Row | undefined;
    return row && pair(row);
  }

  oneTime(id: number): DhKeyPair | undefined {
    const row = this.q.oneTime.get(id) as Row | undefined;
    return row && pair(row);
  }

  /** After a session was made from it: nobody may make another. */
  useOneTime(id: number): void {
    this.q.remove.run(id);
  }

  private newSignedPreKey(now: number): SignedPreKey {
    const kp = generateDhKeyPair();
    const id = this.store('signed', kp, now);
    return { id, publicKey: toB64(kp.publicKey), signature: toB64(signPreKey(fromB64(this.identity.secretKey), kp.publicKey)) };
  }

  private newOneTimePreKeys(count: number, now: number): OneTimePreKey[] {
    return Array.from({ length: count }, () => {
      const kp = generateDhKeyPair();
      return { id: this.store('one-time', kp, now), publicKey: toB64(kp.publicKey) };
    });
  }

  private store(kind: 'signed' | 'one-time', kp: DhKeyPair, now: number): number {
    return Number(this.q.insert.run(kind, toB64(kp.publicKey), toB64(kp.secretKey), now).lastInsertRowid);
  }
}
