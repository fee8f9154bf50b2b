// Opens an SQLite file encrypted with the history key (SQLite3MultipleCiphers, SQLCipher 4 format:
// `sqlcipher` or DB Browser for SQLite open it with the raw key), and encrypts a plaintext one left
// by a Warbler from before encryption at rest.
import fs from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import type { HistoryKey } from './history-key.js';

const PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The history key does not open this file. */
export class WrongKeyError extends Error {
  readonly code = 'wrong_key';
  constructor(readonly file: string) {
    super(`the history key does not open ${file} (a different profile's key, or the file is damaged)`);
  }
}

function options(): Database.Options {
  // Electron loads the binding built for its own ABI (scripts/electron-native.mjs).
  const nativeBinding = process.env.WARBLER_SQLITE_BINDING;
  return nativeBinding ? { nativeBinding } : {};
}

/** Cipher settings come before the key, on every connection. */
function useCipher(db: Database.Database): void {
  db.pragma("cipher = 'sqlcipher'");
  db.pragma('legacy = 4');
}

/** True when the file is an SQLite database with no encryption (its header is readable). */
export function isPlaintextDatabase(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  try {
    const header = Buffer.alloc(PLAINTEXT_HEADER.length);
    return fs.readSync(fd, header, 0, header.length, 0) === header.length && header.equals(PLAINTEXT_HEADER);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Encrypts a plaintext database with the key, losing nothing and never leaving it half done: the
 * WAL is checkpointed into the file, a copy is encrypted (rekey refuses WAL mode, so the copy is
 * switched to a rollback journal first), and the copy replaces the original in one rename. A crash
 * before the rename leaves the plaintext original as it was, and the next open starts again.
 */
export function encryptInPlace(file: string, key: HistoryKey): void {
  const plain = new Database(file, options());
  try {
    const [result] = plain.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result && result.busy !== 0) throw new Error(`${file} is in use by another program; close it and start again`);
  } finally {
    plain.close();
  }
  const copy = `${file}.encrypting`;
  fs.rmSync(copy, { force: true });
  fs.rmSync(`${copy}-journal`, { force: true });
  fs.copyFileSync(file, copy);
  const db = new Database(copy, options());
  try {
    if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') throw new Error(`could not prepare ${copy} for encryption`);
    useCipher(db);
    db.pragma(`rekey = "${key.sqlLiteral}"`);
  } finally {
    db.close();
  }
  const fd = fs.openSync(copy, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(copy, file);
  for (const leftover of [`${file}-wal`, `${file}-shm`]) fs.rmSync(leftover, { force: true });
}

/**
 * The database in `file`, opened with the key (created encrypted when it does not exist; encrypted
 * first when it is plaintext). Throws WrongKeyError when the key does not open it.
 */
export function openEncrypted(file: string, key: HistoryKey): Database.Database {
  if (isPlaintextDatabase(file)) encryptInPlace(file, key);
  const db = new Database(file, options());
  try {
    useCipher(db);
    db.pragma(`key = "${key.sqlLiteral}"`);
    // The key is only tried on the first read: a wrong one fails here, not in the middle of some query.
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
    // Sorts and temporary indexes would otherwise go to temporary files.
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db.close();
    if (err instanceof Database.SqliteError && err.code === 'SQLITE_NOTADB') throw new WrongKeyError(file);
    throw err;
  }
}
