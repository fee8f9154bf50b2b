// The history file on disk: encrypted from the first byte, a wrong key refused clearly, and a
// plaintext file from an earlier Warbler encrypted in place with nothing lost, its WAL included.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers.js';
import { History } from '../history.js';
import { WrongKeyError, assertEncrypting, isPlaintextDatabase, openEncrypted } from './cipher.js';
import { HistoryKey } from './history-key.js';
import type { ChatMessage } from '../../shared/ipc.js';

const message = (i: number): ChatMessage => ({
  id: `m${i}`,
  conversationId: 'bob',
  sender: 'bob',
  outgoing: false,
  kind: 'text',
  text: `plaintext-marker ${i}`,
  event: null,
  sentAt: i,
  serverTime: i,
  state: 'delivered',
});

const contains = (file: string, text: string) => fs.existsSync(file) && fs.readFileSync(file).includes(Buffer.from(text));

describe('the history file', () => {
  it('is encrypted from its first page, its WAL too, and reopens with the same key', () => {
    const file = path.join(tempDir(), 'history.sqlite');
    const key = HistoryKey.generate();
    const h = new History(file, key);
    h.ensureConversation({ id: 'bob', kind: 'direct', title: 'bob', members: ['me', 'bob'] }, 0);
    for (let i = 0; i < 50; i++) h.addMessage(message(i), { read: false, fromRelay: true });
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);
    expect(contains(`${file}-wal`, 'plaintext-marker')).toBe(false);
    h.close();
    expect(isPlaintextDatabase(file)).toBe(false);
    expect(contains(file, 'plaintext-marker')).toBe(false);
    const again = new History(file, key);
    expect(again.messages('bob', 100)).toHaveLength(50);
    again.close();
  });

  it('refuses a wrong key with a clear error, and the right key still opens it afterwards', () => {
    const file = path.join(tempDir(), 'history.sqlite');
    const key = HistoryKey.generate();
    new History(file, key).close();
    expect(() => new History(file, HistoryKey.generate())).toThrow(WrongKeyError);
    expect(() => new History(file, HistoryKey.generate())).toThrow(`the history key does not open ${file}`);
    new History(file, key).close();
  });

  it('encrypts a plaintext history in place, with what was still in its WAL, and leaves no plaintext behind', () => {
    const dir = tempDir();
    const live = path.join(dir, 'live.sqlite');
    // An earlier Warbler's history, copied while it was open: the newest rows are only in the WAL.
    const plain = new Database(live);
    plain.pragma('journal_mode = WAL');
    plain.pragma('wal_autocheckpoint = 0');
    plain.exec("CREATE TABLE notes (text TEXT NOT NULL); INSERT INTO notes VALUES ('plaintext-marker in the main file')");
    plain.pragma('wal_checkpoint(TRUNCATE)');
    const insert = plain.prepare('INSERT INTO notes VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run(`plaintext-marker ${i} in the WAL`);
    const file = path.join(dir, 'history.sqlite');
    fs.copyFileSync(live, file);
    fs.copyFileSync(`${live}-wal`, `${file}-wal`);
    plain.close();
    expect(contains(`${file}-wal`, 'plaintext-marker 199 in the WAL')).toBe(true);
    expect(isPlaintextDatabase(file)).toBe(true);
    // A copy left by a migration that crashed before its rename is started over.
    fs.writeFileSync(`${file}.encrypting`, 'half done');

    const key = HistoryKey.generate();
    const db = openEncrypted(file, key);
    const texts = db.prepare('SELECT text FROM notes ORDER BY rowid').pluck().all() as string[];
    expect(texts).toHaveLength(201);
    expect(texts[0]).toBe('plaintext-marker in the main file');
    expect(texts[200]).toBe('plaintext-marker 199 in the WAL');
    db.close();

    expect(isPlaintextDatabase(file)).toBe(false);
    for (const f of [file, `${file}-wal`, `${file}.encrypting`]) expect(contains(f, 'plaintext-marker')).toBe(false);
    expect(fs.existsSync(`${file}.encrypting`)).toBe(false);
    expect(() => openEncrypted(file, HistoryKey.generate())).toThrow(WrongKeyError);
  });

  it('is SQLCipher 4 with a raw key: the sqlcipher settings and the key alone open it', () => {
    const file = path.join(tempDir(), 'history.sqlite');
    const key = HistoryKey.generate();
    const h = new History(file, key);
    h.ensureConversation({ id: 'bob', kind: 'direct', title: 'bob', members: ['me', 'bob'] }, 0);
    h.close();
    const db = new Database(file);
    db.pragma("cipher = 'sqlcipher'");
    db.pragma('legacy = 4');
    db.pragma(`key = "x'${key.toHex()}'"`);
    expect(db.prepare('SELECT title FROM conversations').pluck().get()).toBe('bob');
    db.close();
  });
});

describe('encrypting a plaintext history', () => {
  it('refuses while another connection has the file open, even an idle one, and loses none of its writes', () => {
    const file = path.join(tempDir(), 'history.sqlite');
    const other = new Database(file);
    other.pragma('journal_mode = WAL');
    other.exec("CREATE TABLE notes (text TEXT NOT NULL); INSERT INTO notes VALUES ('before')");
    expect(isPlaintextDatabase(file)).toBe(true);

    expect(() => openEncrypted(file, HistoryKey.generate())).toThrow(`${file} is open in another program; close it and start again`);
    other.prepare('INSERT INTO notes VALUES (?)').run('after');
    other.close();
    expect(isPlaintextDatabase(file)).toBe(true);
    const key = HistoryKey.generate();
    const db = openEncrypted(file, key);
    expect(db.prepare('SELECT text FROM notes ORDER BY rowid').pluck().all()).toEqual(['before', 'after']);
    db.close();
    expect(isPlaintextDatabase(file)).toBe(false);
  });

  it('refuses a connection that would not encrypt with the sqlcipher scheme', () => {
    const file = path.join(tempDir(), 'history.sqlite');
    const db = new Database(file);
    try {
      db.pragma("cipher = 'chacha20'");
      expect(() => assertEncrypting(db, file)).toThrow(`refusing to open ${file}: its cipher is chacha20, not sqlcipher`);
    } finally {
      db.close();
    }
    const opened = openEncrypted(file, HistoryKey.generate());
    expect(() => assertEncrypting(opened, file)).not.toThrow();
    opened.close();
  });
});
