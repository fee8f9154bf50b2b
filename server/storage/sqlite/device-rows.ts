// Reads of the devices table that several SQLite stores make inside their own transactions
// (the account store, acks that queue receipts, bundle hand-outs), kept in memory: the account
// store, the one writer of the table, tells what it changed.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { CertifiedDevice } from '../../../shared/protocol.js';
import type { Device } from '../account-store.js';
import type { OtherWriters, RowCache } from './row-cache.js';

function statements(db: Database.Database) {
  return {
    byKey: db.prepare('SELECT identity_key, username, created_at FROM devices WHERE identity_key = ?'),
    keysOf: db.prepare('SELECT identity_key FROM devices WHERE username = ? ORDER BY created_at, identity_key').pluck(),
    certified: db.prepare('SELECT identity_key AS key, certificate FROM devices WHERE username = ? ORDER BY created_at, identity_key'),
  };
}

export class SqliteDeviceRows {
  private readonly q: ReturnType<typeof statements>;
  private readonly devices: RowCache<Readonly<Device>>;
  private readonly keys: RowCache<readonly string[]>;
  private readonly certificates: RowCache<readonly CertifiedDevice[]>;

  constructor(db: Database.Database, others: OtherWriters) {
    this.q = statements(db);
    this.devices = others.cache();
    this.keys = others.cache();
    this.certificates = others.cache();
  }

  byKey(identityKey: string): Readonly<Device> | undefined {
    return this.devices.get(identityKey, () => {
      const row = this.q.byKey.get(identityKey) as { identity_key: string; username: string; created_at: number } | undefined;
      return row && Object.freeze({ identityKey: row.identity_key, username: row.username, createdAt: row.created_at });
    });
  }

  /** The account's device keys, oldest first. */
  keysOf(username: string): readonly string[] {
    return this.keys.get(username, () => Object.freeze(this.q.keysOf.all(username) as string[]))!;
  }

  /** The account's devices with their certificates, oldest first. */
  certified(username: string): readonly CertifiedDevice[] {
    return this.certificates.get(username, () => Object.freeze((this.q.certified.all(username) as CertifiedDevice[]).map((d) => Object.freeze(d))))!;
  }

  /** The account's devices changed (one added or removed, or the account reset). */
  changed(username: string, deviceKeys: Iterable<string>): void {
    this.keys.forget(username);
    this.certificates.forget(username);
    for (const key of deviceKeys) this.devices.forget(key);
  }
}
