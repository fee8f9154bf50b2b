import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers.js';
import { HISTORY_FILE } from '../profile.js';
import { openEncrypted } from '../vault/cipher.js';
import { HistoryKey } from '../vault/history-key.js';
import { chat } from './001-chat.js';
import { endToEnd } from './002-end-to-end.js';
import { tablesAddedAt2 } from './003-tables-added-at-2.js';
import { messageSeq } from './004-message-seq.js';
import { attachments } from './005-attachments.js';
import { HISTORY_MIGRATIONS } from './history-migrations.js';
import { migrate, schemaVersion } from '../../shared/sqlite-migrations.js';
import type { Migration } from './migration.js';
import { copySchema2Profile, openCopiedHistory, schemaOf } from '../../tests/history-fixture.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function newDatabase(): { db: Database.Database; file: string } {
  const file = path.join(tempDir(), HISTORY_FILE);
  const db = openEncrypted(file, HistoryKey.generate());
  db.pragma('foreign_keys = ON');
  open.push(db);
  return { db, file };
}

function copiedAlice(): { db: Database.Database; file: string } {
  const dir = copySchema2Profile('alice');
  const db = openCopiedHistory(dir);
  db.pragma('foreign_keys = ON');
  open.push(db);
  return { db, file: path.join(dir, HISTORY_FILE) };
}

const notToRun = (version: number): Migration => ({
  version,
  name: `step ${version}, which must not run`,
  up() {
    throw new Error(`step ${version} ran`);
  },
});

const addConversation = (db: Database.Database, id: string) =>
  db.prepare("INSERT INTO conversations (id, kind, title, members, created_at) VALUES (?, 'direct', ?, '[]', 1)").run(id, id);

/** An incoming message, in whichever schema the database is at (from step 4 on, it came through the relay). */
const addMessage = (db: Database.Database, id: string, kind = 'text') => {
  const hasOrigin = db.prepare("SELECT 1 FROM pragma_table_info('messages') WHERE name = 'from_relay'").get() !== undefined;
  db.prepare(
    `INSERT INTO messages (id, conversation_id, sender, outgoing, kind, text, sent_at, server_time, state${hasOrigin ? ', from_relay' : ''})
     VALUES (?, 'bob', 'bob', 0, ?, ?, 1, 1, 'delivered'${hasOrigin ? ', 1' : ''})`,
  ).run(id, kind, `text of ${id}`);
};

const rows = (db: Database.Database, sql: string) => db.prepare(sql).all();

describe('history migrations', () => {
  it('are numbered 1 to 14 in the order they run', () => {
    expect(HISTORY_MIGRATIONS.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(() => migrate(newDatabase().db, 'x', [chat, messageSeq])).toThrow('numbered 4, expected 2');
  });

  it('step 1 makes schema 1 in an empty database: chat without end-to-end encryption', () => {
    const { db, file } = newDatabase();
    expect(migrate(db, file, [chat])).toBe(0);
    expect(schemaVersion(db)).toBe(1);
    addConversation(db, 'bob');
    addMessage(db, 'm1');
    expect(() => addMessage(db, 'm2', 'undecryptable')).toThrow(/CHECK constraint/);
    db.prepare("INSERT INTO outbox (message_id, recipients, payload) VALUES ('o1', '[]', '{}')").run();
    expect(() => db.prepare("INSERT INTO outbox (message_id, recipients, payload, device) VALUES ('o2', '[]', '{}', 'd')").run()).toThrow(
      /no column named device/,
    );
    expect(rows(db, "SELECT name FROM sqlite_master WHERE name IN ('sessions', 'push_items')")).toEqual([]);
  });

  it('step 2 upgrades a schema-1 database: every row, its rowid and the outbox counter kept', () => {
    const { db, file } = newDatabase();
    migrate(db, file, [chat]);
    addConversation(db, 'bob');
    for (const id of ['m1', 'm2', 'm3']) addMessage(db, id);
    db.prepare("DELETE FROM messages WHERE id = 'm2'").run();
    db.prepare("UPDATE messages SET read = 1, state = 'read' WHERE id = 'm3'").run();
    for (const id of ['o1', 'o2', 'o3']) db.prepare("INSERT INTO outbox (message_id, recipients, payload) VALUES (?, '[\"bob\"]', 'sealed')").run(id);
    db.prepare("DELETE FROM outbox WHERE message_id = 'o3'").run();
    db.prepare("INSERT INTO held (message_id, group_id, payload, server_time) VALUES ('h1', '#g', 'p', 5)").run();
    db.prepare("INSERT INTO settings (key, value) VALUES ('relay.key', 'k')").run();
    const messagesBefore = rows(db, 'SELECT rowid, * FROM messages ORDER BY rowid');

    expect(migrate(db, file, [chat, endToEnd])).toBe(1);

    expect(schemaVersion(db)).toBe(2);
    expect(rows(db, 'SELECT rowid, * FROM messages ORDER BY rowid')).toEqual(messagesBefore);
    expect(rows(db, 'SELECT * FROM outbox ORDER BY seq')).toEqual([
      { seq: 1, message_id: 'o1', recipients: '["bob"]', payload: 'sealed', device: null, fresh: 0 },
      { seq: 2, message_id: 'o2', recipients: '["bob"]', payload: 'sealed', device: null, fresh: 0 },
    ]);
    // o3 had seq 3: an outbox seq is never handed out twice.
    db.prepare("INSERT INTO outbox (message_id, recipients, payload, device, fresh) VALUES ('o4', '[]', 'p', 'dev', 1)").run();
    expect(db.prepare("SELECT seq FROM outbox WHERE message_id = 'o4'").pluck().get()).toBe(4);
    expect(rows(db, 'SELECT * FROM held')).toEqual([{ message_id: 'h1', group_id: '#g', payload: 'p', server_time: 5 }]);
    expect(rows(db, 'SELECT * FROM settings')).toEqual([{ key: 'relay.key', value: 'k' }]);
    addMessage(db, 'placeholder', 'undecryptable');
    addMessage(db, 'note', 'identity-changed');
    for (const table of ['prekeys', 'sessions', 'identities', 'received', 'sent_payloads', 'resend_requests', 'push_subscriptions', 'push_items']) {
      expect(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get()).toBe(0);
    }
    expect(rows(db, "SELECT name FROM sqlite_master WHERE name LIKE '%before_rebuild%'")).toEqual([]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('steps 1 and 2 make exactly the schema of a database the schema-2 release made', () => {
    const fresh = newDatabase();
    migrate(fresh.db, fresh.file, [chat, endToEnd]);
    const released = copiedAlice();
    expect(schemaVersion(released.db)).toBe(2);
    expect(schemaOf(fresh.db)).toEqual(schemaOf(released.db));
  });

  it('a schema-2 database is upgraded by steps 3 and 4 alone, and step 3 changes nothing in it', () => {
    const { db, file } = copiedAlice();
    const released = schemaOf(db);
    expect(migrate(db, file, [notToRun(1), notToRun(2), tablesAddedAt2])).toBe(2);
    expect(schemaOf(db)).toEqual(released);
    expect(migrate(db, file, [notToRun(1), notToRun(2), tablesAddedAt2, messageSeq])).toBe(3);
    expect(schemaVersion(db)).toBe(4);
  });

  it('step 3 makes the tables an early schema-2 history lacks, and keeps every row', () => {
    const { db, file } = newDatabase();
    migrate(db, file, [chat, endToEnd]);
    // A history from before the resend requests and the push center: version 2 without their tables.
    db.exec('DROP TABLE resend_requests; DROP TABLE push_items; DROP TABLE push_subscriptions;');
    addConversation(db, 'bob');
    addMessage(db, 'a');
    db.prepare("INSERT INTO identities (username, account_key) VALUES ('bob', 'key')").run();
    const before = { messages: rows(db, 'SELECT * FROM messages'), identities: rows(db, 'SELECT * FROM identities') };

    expect(migrate(db, file, [chat, endToEnd, tablesAddedAt2])).toBe(2);

    const released = copiedAlice();
    migrate(released.db, released.file, [notToRun(1), notToRun(2), tablesAddedAt2]);
    expect(schemaOf(db)).toEqual(schemaOf(released.db));
    expect({ messages: rows(db, 'SELECT * FROM messages'), identities: rows(db, 'SELECT * FROM identities') }).toEqual(before);
    db.prepare("INSERT INTO push_subscriptions (topic) VALUES ('ops')").run();
    expect(db.prepare('SELECT count(*) FROM resend_requests').pluck().get()).toBe(0);
  });

  it('step 4 numbers the stored messages in their rowid order, and never hands a number out again', () => {
    const { db, file } = newDatabase();
    migrate(db, file, [chat, endToEnd]);
    addConversation(db, 'bob');
    for (const id of ['a', 'b', 'c']) addMessage(db, id);
    // What schema 2 did: the newest row deleted (a placeholder), its rowid went to the next message.
    db.prepare("DELETE FROM messages WHERE id = 'c'").run();
    addMessage(db, 'd');
    expect(db.prepare("SELECT rowid FROM messages WHERE id = 'd'").pluck().get()).toBe(3);
    const before = rows(db, 'SELECT * FROM messages ORDER BY rowid');

    migrate(db, file, [chat, endToEnd, tablesAddedAt2, messageSeq]);

    expect(rows(db, 'SELECT seq, id FROM messages ORDER BY seq')).toEqual([
      { seq: 1, id: 'a' },
      { seq: 2, id: 'b' },
      { seq: 3, id: 'd' },
    ]);
    expect(rows(db, 'SELECT id, conversation_id, sender, outgoing, kind, text, event, sent_at, server_time, state, read FROM messages ORDER BY seq')).toEqual(
      before,
    );
    db.prepare("DELETE FROM messages WHERE id = 'd'").run();
    addMessage(db, 'e');
    expect(db.prepare("SELECT seq FROM messages WHERE id = 'e'").pluck().get()).toBe(4);
    expect(() => addMessage(db, 'a')).toThrow(/UNIQUE constraint failed: messages.id/);
  });

  it('step 4 counts incoming lines as from the relay, and outgoing lines and local notes as written here', () => {
    const { db, file } = newDatabase();
    migrate(db, file, [chat, endToEnd, tablesAddedAt2]);
    addConversation(db, 'bob');
    addMessage(db, 'theirs');
    addMessage(db, 'placeholder', 'undecryptable');
    addMessage(db, 'key-changed', 'identity-changed');
    db.prepare(
      `INSERT INTO messages (id, conversation_id, sender, outgoing, kind, text, sent_at, server_time, state)
       VALUES ('mine', 'bob', 'alice', 1, 'text', 'hi', 1, NULL, 'sending')`,
    ).run();

    migrate(db, file, HISTORY_MIGRATIONS);

    expect(rows(db, 'SELECT id, from_relay FROM messages ORDER BY seq')).toEqual([
      { id: 'theirs', from_relay: 1 },
      { id: 'placeholder', from_relay: 1 },
      { id: 'key-changed', from_relay: 0 },
      { id: 'mine', from_relay: 0 },
    ]);
  });

  it("step 4 sets the CLI's printed cursor at the history's end: 0 in a new history, the last seq in an upgraded one", () => {
    const cursor = (db: Database.Database) => rows(db, "SELECT value FROM settings WHERE key = 'cli.printed'");
    const fresh = newDatabase();
    migrate(fresh.db, fresh.file, HISTORY_MIGRATIONS);
    expect(cursor(fresh.db)).toEqual([{ value: '0' }]);

    const upgraded = newDatabase();
    migrate(upgraded.db, upgraded.file, [chat, endToEnd, tablesAddedAt2]);
    addConversation(upgraded.db, 'bob');
    for (const id of ['a', 'b', 'c']) addMessage(upgraded.db, id);
    upgraded.db.prepare("DELETE FROM messages WHERE id = 'a'").run();
    migrate(upgraded.db, upgraded.file, HISTORY_MIGRATIONS);
    expect(cursor(upgraded.db)).toEqual([{ value: '3' }]);

    const released = copiedAlice();
    expect(cursor(released.db)).toEqual([]);
    migrate(released.db, released.file, HISTORY_MIGRATIONS);
    expect(cursor(released.db)).toEqual([{ value: '7' }]);
  });

  it('steps 1 to 7 make the same schema as a schema-2 release database upgraded', () => {
    const fresh = newDatabase();
    migrate(fresh.db, fresh.file, HISTORY_MIGRATIONS);
    const released = copiedAlice();
    migrate(released.db, released.file, HISTORY_MIGRATIONS);
    expect(schemaOf(fresh.db)).toEqual(schemaOf(released.db));
  });

  it('step 5 adds the attachments table to a schema-2 release history, every other table and row as it was', () => {
    const { db, file } = copiedAlice();
    migrate(db, file, [chat, endToEnd, tablesAddedAt2, messageSeq]);
    const tables = () => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    const everything = () => Object.fromEntries(tables().map((t) => [t, rows(db, `SELECT * FROM "${t}"`)]));
    const before = { schema: schemaOf(db), rows: everything() };

    expect(migrate(db, file, [chat, endToEnd, tablesAddedAt2, messageSeq, attachments])).toBe(4);

    expect(schemaVersion(db)).toBe(5);
    const { attachments: added, ...kept } = everything();
    expect(added).toEqual([]);
    expect(kept).toEqual(before.rows);
    expect(schemaOf(db).filter((e) => e.tbl_name !== 'attachments')).toEqual(before.schema);
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });

  it('step 5 keeps one row per file of a message, in order, in the states a transfer goes through', () => {
    const { db, file } = newDatabase();
    migrate(db, file, [chat, endToEnd, tablesAddedAt2, messageSeq, attachments]);
    const add = (id: string, messageId: string, position: number, state = 'remote') =>
      db
        .prepare("INSERT INTO attachments (id, message_id, position, pointer, upload, state) VALUES (?, ?, ?, '{}', 0, ?)")
        .run(id, messageId, position, state);
    add('b1', 'm1', 0);
    add('b2', 'm1', 1, 'ready');
    expect(rows(db, 'SELECT id, message_id, position, state, transferred, error, upload_url FROM attachments ORDER BY position')).toEqual([
      { id: 'b1', message_id: 'm1', position: 0, state: 'remote', transferred: 0, error: null, upload_url: null },
      { id: 'b2', message_id: 'm1', position: 1, state: 'ready', transferred: 0, error: null, upload_url: null },
    ]);
    // A blob is one file: the same id cannot be a second row; a message has one file per place.
    expect(() => add('b1', 'm2', 0)).toThrow(/UNIQUE constraint failed: attachments.id/);
    expect(() => add('b3', 'm1', 1)).toThrow(/UNIQUE constraint failed: attachments.message_id, attachments.position/);
    expect(() => add('b4', 'm2', 0, 'lost')).toThrow(/CHECK constraint/);
    expect(() => add('b5', 'm2', -1)).toThrow(/CHECK constraint/);
  });

  it('step 6 gives every push a null attachment, keeping every push and its read state', () => {
    const { db, file } = copiedAlice();
    migrate(db, file, [chat, endToEnd, tablesAddedAt2, messageSeq, attachments]);
    const before = rows(db, 'SELECT * FROM push_items ORDER BY id') as Record<string, unknown>[];
    expect(before.length).toBeGreaterThan(0);

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 6))).toBe(5);

    expect(schemaVersion(db)).toBe(6);
    expect(rows(db, 'SELECT * FROM push_items ORDER BY id')).toEqual(before.map((row) => ({ ...row, attachment: null })));
    db.prepare("UPDATE push_items SET attachment = ? WHERE id = ?").run(JSON.stringify({ name: 'a.png', url: 'https://x/a.png' }), before[0]!.id);
    expect(db.prepare('SELECT attachment FROM push_items WHERE id = ?').pluck().get(before[0]!.id)).toContain('a.png');
  });

  it('a step that fails leaves the database at the version it was, with nothing of the step', () => {
    const { db, file } = newDatabase();
    migrate(db, file, [chat, endToEnd]);
    addConversation(db, 'bob');
    addMessage(db, 'a');
    const schemaBefore = schemaOf(db);
    const failing: Migration = {
      version: 3,
      name: 'half done',
      up(d) {
        d.exec('CREATE TABLE half (x INTEGER) STRICT; ALTER TABLE messages ADD COLUMN extra TEXT');
        d.exec("DELETE FROM messages WHERE id = 'a'");
        throw new Error('boom');
      },
    };
    expect(() => migrate(db, file, [chat, endToEnd, failing])).toThrow(`${file}: migration 3 (half done) failed: boom`);
    expect(schemaVersion(db)).toBe(2);
    expect(schemaOf(db)).toEqual(schemaBefore);
    expect(db.prepare('SELECT id FROM messages').pluck().all()).toEqual(['a']);
    expect(migrate(db, file, HISTORY_MIGRATIONS)).toBe(2);
    expect(schemaVersion(db)).toBe(HISTORY_MIGRATIONS.length);
  });

  it('every step still to run is in one transaction: a failure in step 2 undoes step 1', () => {
    const { db, file } = newDatabase();
    const failing: Migration = {
      version: 2,
      name: 'broken',
      up(d) {
        d.exec('CREATE TABLE sessions (id INTEGER)');
        endToEnd.up(d);
      },
    };
    expect(() => migrate(db, file, [chat, failing])).toThrow(/migration 2 \(broken\) failed: table sessions already exists/);
    expect(schemaVersion(db)).toBe(0);
    expect(schemaOf(db)).toEqual([]);
  });
});
