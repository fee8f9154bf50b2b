// Opens an SQLite file encrypted with the history key (SQLite3MultipleCiphers, SQLCipher 4 format:
// `sqlcipher` or DB Browser for SQLite open it with the raw key), and encrypts a plaintext one left
// by a Warbler from before encryption at rest.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { ErrorCode } from '../../shared/errors.js';
import { syncDir } from '../atomic-file.js';
import type { HistoryKey } from './history-key.js';

const PLAINTEXT_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** The history key does not open this file. */
export class WrongKeyError extends Error {
  readonly code: ErrorCode = 'wrong_key';
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

/**
 * Refuses a connection that would not encrypt: an SQLite build without SQLite3MultipleCiphers (a
 * plain binding swapped in) takes the key pragmas without a word and writes plaintext.
 */
export function assertEncrypting(db: Database.Database, file: string): void {
  let version: unknown;
  try {
    version = db.prepare('SELECT sqlite3mc_version()').pluck().get();
  } catch {
    version = undefined;
  }
  if (typeof version !== 'string' || !version.startsWith('SQLite3 Multiple Ciphers')) {
    throw new Error(`refusing to open ${file}: this SQLite build is not SQLite3MultipleCiphers, so the history would not be encrypted`);
  }
  const cipher: unknown = db.pragma('cipher', { simple: true });
  if (cipher !== 'sqlcipher') {
    throw new Error(`refusing to open ${file}: its cipher is ${String(cipher)}, not sqlcipher`);
  }
}

const inUse = (file: string) => new Error(`${file} is open in another program; close it and start again`);

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
 * Encrypts a plaintext database with the key, losing nothing and never leaving it half done. The
 * original leaves WAL mode first, which puts its WAL into the file and which SQLite refuses while
 * any other connection has the file open, even an idle one; an exclusive lock on it is then held
 * until an encrypted copy (rekey refuses WAL mode, so the copy is a rollback-journal database) has
 * replaced it in one rename. A crash before the rename leaves the plaintext original as it was,
 * and the next open starts again.
 */
export function encryptInPlace(file: string, key: HistoryKey): void {
  const copy = `${file}.encrypting`;
  const plain = new Database(file, { ...options(), timeout: 0 });
  try {
    try {
      if (plain.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') throw inUse(file);
      plain.pragma('locking_mode = EXCLUSIVE');
      plain.exec('BEGIN EXCLUSIVE; COMMIT');
    } catch (err) {
      if (err instanceof Database.SqliteError && (err.code === 'SQLITE_BUSY' || err.code === 'SQLITE_LOCKED')) throw inUse(file);
      throw err;
    }
    fs.rmSync(copy, { force: true });
    fs.rmSync(`${copy}-journal`, { force: true });
    // Through the locked connection: a file copy would close a descriptor of the file and so drop its POSIX locks.
    plain.prepare('VACUUM INTO ?').run(copy);
    const db = new Database(copy, options());
    try {
      if (db.pragma('journal_mode = DELETE', { simple: true }) !== 'delete') throw new Error(`could not prepare ${copy} for encryption`);
      useCipher(db);
      db.pragma(`rekey = "${key.sqlLiteral}"`);
      assertEncrypting(db, copy);
    } finally {
      db.close();
    }
    if (isPlaintextDatabase(copy)) throw new Error(`${copy} is still plaintext after encryption; ${file} is left as it was`);
    const fd = fs.openSync(copy, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(copy, file);
    syncDir(path.dirname(file));
  } finally {
    plain.close();
  }
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
    assertEncrypting(db, file);
    // Sorts and temporary indexes would otherwise go to temporary files.
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db.close();
    if (err instanceof Database.SqliteError && err.code === 'SQLITE_NOTADB') throw new WrongKeyError(file);
    throw err;
  }
}
