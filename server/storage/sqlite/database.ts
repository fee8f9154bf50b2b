// The relay's one SQLite connection (relay.sqlite under --data), brought up to the current schema
// when it opens. Every SQLite store shares it; the queue, prekey and push-cache stores, written to
// on the hot path, also share its group commit.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { GroupCommit } from './group-commit.js';
import { migrate, schemaVersion } from '../../../shared/sqlite-migrations.js';
import { RELAY_MIGRATIONS } from './migrations/relay-migrations.js';

export const RELAY_DATABASE_FILE = 'relay.sqlite';

export interface SqliteRelayDatabase {
  readonly db: Database.Database;
  readonly writes: GroupCommit;
  /** Commits the writes waiting for a group commit, then closes the connection. */
  close(): void;
}

export function openSqliteRelayDatabase(dataDir: string): SqliteRelayDatabase {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, RELAY_DATABASE_FILE);
  // Electron runs with its own ABI; `npm start` points this at a copy of the module built for it.
  const nativeBinding = process.env.WARBLER_SQLITE_BINDING;
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    // A send is acknowledged as stored only once it would survive a power cut, not just a crash.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    refuseUnnumbered(db, file);
    migrate(db, file, RELAY_MIGRATIONS);
  } catch (err) {
    db.close();
    throw err;
  }
  const writes = new GroupCommit(db);
  return {
    db,
    writes,
    close() {
      writes.flush();
      db.close();
    },
  };
}

/**
 * The relay before end-to-end encryption left its schema unnumbered (0). Its accounts have no
 * account keys or prekeys, so no client of today could talk to them: it is refused, not upgraded.
 */
function refuseUnnumbered(db: Database.Database, file: string): void {
  if (schemaVersion(db) !== 0) return;
  const hasAccounts = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accounts'").get() !== undefined;
  if (hasAccounts) {
    throw new Error(
      `${file} holds accounts from before end-to-end encryption (schema 0); move it aside to start this relay with an empty database`,
    );
  }
}
