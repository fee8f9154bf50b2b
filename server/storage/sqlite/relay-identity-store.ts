// The relay's signing key in SQLite: one row, written once.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { RelayIdentityStore, RelayKeyPair } from '../relay-identity-store.js';

export class SqliteRelayIdentityStore implements RelayIdentityStore {
  private readonly loadOrCreateTx: (create: () => RelayKeyPair) => RelayKeyPair;

  constructor(db: Database.Database) {
    const select = db.prepare('SELECT public_key, secret_key FROM relay_identity WHERE id = 1');
    const insert = db.prepare('INSERT INTO relay_identity (id, public_key, secret_key) VALUES (1, ?, ?)');
    this.loadOrCreateTx = db.transaction((create: () => RelayKeyPair): RelayKeyPair => {
      const row = select.get() as { public_key: string; secret_key: string } | undefined;
      if (row) return { publicKey: row.public_key, secretKey: row.secret_key };
      const made = create();
      insert.run(made.publicKey, made.secretKey);
      return made;
    });
  }

  async loadOrCreate(create: () => RelayKeyPair): Promise<RelayKeyPair> {
    return this.loadOrCreateTx(create);
  }
}
