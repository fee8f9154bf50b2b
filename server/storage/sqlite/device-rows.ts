// Reads of the devices table that several SQLite stores make inside their own transactions
// (the account store, acks that queue receipts, bundle hand-outs).
import type Database from 'better-sqlite3-multiple-ciphers';
import type { CertifiedDevice } from '../../../shared/protocol.js';
import type { Device } from '../account-store.js';

function statements(db: Database.Database) {
  return {
    byKey: db.prepare('SELECT identity_key, username, created_at FROM devices WHERE identity_key = ?'),
    keysOf: db.prepare('SELECT identity_key FROM devices WHERE username = ? ORDER BY created_at, identity_key').pluck(),
    certified: db.prepare('SELECT identity_key AS key, certificate FROM devices WHERE username = ? ORDER BY created_at, identity_key'),
  };
}

export class SqliteDeviceRows {
  private readonly q: ReturnType<typeof statements>;

  constructor(db: Database.Database) {
    this.q = statements(db);
  }

  byKey(identityKey: string): Device | undefined {
    const row = this.q.byKey.get(identityKey) as { identity_key: string; username: string; created_at: number } | undefined;
    return row && { identityKey: row.identity_key, username: row.username, createdAt: row.created_at };
  }

  /** The account's device keys, oldest first. */
  keysOf(username: string): string[] {
    return this.q.keysOf.all(username) as string[];
  }

  /** The account's devices with their certificates, oldest first. */
  certified(username: string): CertifiedDevice[] {
    return this.q.certified.all(username) as CertifiedDevice[];
  }
}
