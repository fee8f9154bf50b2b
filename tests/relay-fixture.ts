// The relay database the last schema-2 release made (tests/fixtures/schema-2/relay, see its README),
// and what the relay's migration tests compare databases by. Tests work on copies; the committed
// files stay as they were made.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { RELAY_DATABASE_FILE } from '../server/storage/sqlite/database.js';
import { RELAY_MIGRATIONS } from '../server/storage/sqlite/migrations/relay-migrations.js';
import { migrate, schemaVersion } from '../shared/sqlite-migrations.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/schema-2/relay/', import.meta.url));

/** A copy of the fixture's relay folder (a relay's data folder); returns the copy's folder. */
export function copyRelayFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-relay-schema-2-'));
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

/** Every table and index, as SQLite keeps their definitions. */
export const schemaOf = (db: Database.Database) => db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').all();

/**
 * The version, the schema and every table's rows (each row as JSON, in a stable order): what
 * "nothing lost, nothing rewritten" compares.
 */
export function contentsOf(db: Database.Database) {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  return {
    version: schemaVersion(db),
    schema: schemaOf(db),
    rows: Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all().map((r) => JSON.stringify(r)).sort()])),
  };
}

/** contentsOf the relay database in a data folder, read on a connection of its own. */
export function snapshot(dir: string): ReturnType<typeof contentsOf> {
  const db = new Database(path.join(dir, RELAY_DATABASE_FILE));
  try {
    return contentsOf(db);
  } finally {
    db.close();
  }
}

/**
 * The schema of the fixture migrated to `version`, and of a new relay database at that version: a
 * step must leave the same tables whichever database it ran on.
 */
export function schemasAt(version: number): { upgraded: unknown[]; fresh: unknown[] } {
  const migrated = (dir: string) => {
    const file = path.join(dir, RELAY_DATABASE_FILE);
    const db = new Database(file);
    try {
      db.pragma('foreign_keys = ON');
      migrate(db, file, RELAY_MIGRATIONS.slice(0, version));
      return schemaOf(db);
    } finally {
      db.close();
    }
  };
  return { upgraded: migrated(copyRelayFixture()), fresh: migrated(fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-relay-new-'))) };
}
