// For tests: the client profiles the last schema-2 release made (fixtures/schema-2, see its README),
// copied so that a test upgrades a copy and the committed files stay as they were made.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3-multiple-ciphers';
import { HISTORY_FILE, PROFILE_FILE } from '../core/profile.js';
import { openEncrypted } from '../core/vault/cipher.js';
import { KEY_FILE, readKeyFile } from '../core/vault/key-file.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/schema-2/', import.meta.url));

/** A copy of one fixture profile folder; returns the copy's folder. */
export function copySchema2Profile(name: 'alice' | 'bob' | 'carol'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-schema-2-'));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  // Git keeps no file modes, and the vault refuses a key file that other users can read.
  for (const file of [KEY_FILE, PROFILE_FILE]) fs.chmodSync(path.join(dir, file), 0o600);
  return dir;
}

/** The copy's history database, opened as it is: no migration runs. */
export function openCopiedHistory(dir: string): Database.Database {
  const key = readKeyFile(path.join(dir, KEY_FILE));
  if (!key) throw new Error(`${dir} has no ${KEY_FILE}`);
  return openEncrypted(path.join(dir, HISTORY_FILE), key);
}

/** The database's tables and indexes as SQLite stores them, by name. */
export function schemaOf(db: Database.Database): { type: string; name: string; tbl_name: string; sql: string | null }[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').all() as {
    type: string;
    name: string;
    tbl_name: string;
    sql: string | null;
  }[];
}
