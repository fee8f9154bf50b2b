// The relay's schema steps, on real SQLite files: each on a database the step before it made, the
// first two giving exactly what the last schema-2 release made, failures undone. A newer file's
// refusal is tested where a relay starts on one (tests/integration/relay-migrations.test.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { RELAY_DATABASE_FILE, openSqliteRelayDatabase } from '../database.js';
import { migrate, schemaVersion } from '../../../../shared/sqlite-migrations.js';
import { contentsOf, copyRelayFixture, schemaOf } from '../../../../tests/relay-fixture.js';
import type { Migration } from './migration.js';
import { RELAY_MIGRATIONS } from './relay-migrations.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function newFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-relay-migrations-')), RELAY_DATABASE_FILE);
}

function openFile(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  open.push(db);
  return db;
}

/** A copy of the schema-2 release's relay database, opened as it is: no migration runs. */
function copiedFixture(): { db: Database.Database; file: string } {
  const file = path.join(copyRelayFixture(), RELAY_DATABASE_FILE);
  return { db: openFile(file), file };
}

const failing = (version: number, before: (db: Database.Database) => void): Migration => ({
  version,
  name: 'a step that fails half way',
  up(db) {
    before(db);
    throw new Error('disk full');
  },
});

const addAccount = (db: Database.Database, username: string, device: string) => {
  db.prepare("INSERT INTO accounts (username, account_key, created_at) VALUES (?, 'account-key', 1)").run(username);
  db.prepare("INSERT INTO devices (identity_key, username, certificate, created_at) VALUES (?, ?, 'certificate', 1)").run(device, username);
};

/** What each step promises, checked on a database the steps before it made (with a row or two in it). */
const promises: Record<number, { seed?: (db: Database.Database) => void; check: (db: Database.Database) => void }> = {
  1: {
    check(db) {
      addAccount(db, 'alice', 'device-a');
      expect(() => addAccount(db, 'Alice-again', 'device-a')).toThrow(/UNIQUE/);
      expect(() => db.prepare("INSERT INTO devices VALUES ('device-x', 'nobody', 'c', 1)").run()).toThrow(/FOREIGN KEY/);
      const queue = db.prepare(
        "INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed) VALUES ('device-a', ?, 'm', 'bob', 'device-b', 1, NULL)",
      );
      const first = queue.run('message').lastInsertRowid;
      expect(queue.run('delivered').lastInsertRowid).toBe(Number(first) + 1);
      expect(() => queue.run('typing')).toThrow(/CHECK/);
      db.prepare("INSERT INTO contacts VALUES ('alice', 'bob')").run();
      expect(db.prepare("INSERT OR IGNORE INTO contacts VALUES ('alice', 'bob')").run().changes).toBe(0);
      for (const table of ['last_seen', 'hidden', 'expired', 'sent']) {
        expect(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table)).toBeDefined();
      }
    },
  },
  2: {
    seed: (db) => addAccount(db, 'alice', 'device-a'),
    check(db) {
      expect(db.prepare('SELECT username FROM devices').pluck().all()).toEqual(['alice']);
      db.prepare("INSERT INTO signed_prekeys VALUES ('device-a', 1, 'spk', 'sig')").run();
      db.prepare("INSERT INTO one_time_prekeys VALUES ('device-a', 1, 'opk')").run();
      db.prepare("DELETE FROM devices WHERE identity_key = 'device-a'").run();
      expect(db.prepare('SELECT count(*) FROM signed_prekeys').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM one_time_prekeys').pluck().get()).toBe(0);
      const push = db.prepare("INSERT INTO push_messages (id, topic, time, expires, json) VALUES ('p1', 'ops', 1, 2, '{}')");
      push.run();
      expect(() => push.run()).toThrow(/UNIQUE/);
      db.prepare("INSERT INTO push_users VALUES ('phil', 'hash', 'user')").run();
      db.prepare("INSERT INTO push_tokens VALUES ('token-hash', 'phil', 'label', NULL)").run();
      db.prepare("INSERT INTO push_rules VALUES ('phil', 'ops', 'read-only')").run();
      db.prepare("DELETE FROM push_users WHERE name = 'phil'").run();
      expect(db.prepare('SELECT count(*) FROM push_tokens').pluck().get()).toBe(0);
      db.prepare("INSERT INTO relay_identity VALUES (1, 'public', 'secret')").run();
      expect(() => db.prepare("INSERT INTO relay_identity VALUES (2, 'public', 'secret')").run()).toThrow(/CHECK/);
    },
  },
  3: {
    // A relay of a schema-2 release from before push: version 2 without the push tables.
    seed(db) {
      db.exec('DROP TABLE push_messages; DROP TABLE push_tokens; DROP TABLE push_users; DROP TABLE push_rules; DROP TABLE relay_identity;');
      addAccount(db, 'alice', 'device-a');
    },
    check(db) {
      expect(db.prepare('SELECT username FROM devices').pluck().all()).toEqual(['alice']);
      const released = copiedFixture();
      migrate(released.db, released.file, RELAY_MIGRATIONS.slice(0, 3));
      expect(schemaOf(db)).toEqual(schemaOf(released.db));
      db.prepare("INSERT INTO push_messages (id, topic, time, expires, json) VALUES ('p1', 'ops', 1, 2, '{}')").run();
      db.prepare("INSERT INTO relay_identity VALUES (1, 'public', 'secret')").run();
    },
  },
  4: {
    seed: (db) => addAccount(db, 'alice', 'device-a'),
    check(db) {
      expect(db.prepare('SELECT username FROM devices').pluck().all()).toEqual(['alice']);
      const blob = db.prepare('INSERT INTO blobs (id, owner, size, created_at, completed_at) VALUES (?, ?, ?, 1, NULL)');
      blob.run('b1', 'alice', 10);
      expect(() => blob.run('b1', 'alice', 10)).toThrow(/UNIQUE/);
      expect(() => blob.run('b2', 'alice', -1)).toThrow(/CHECK/);
      // No foreign key: a sent blob outlives its sender's account until it expires.
      blob.run('b3', 'nobody', 5);
      expect(db.prepare('SELECT sum(size) FROM blobs WHERE owner = ?').pluck().get('alice')).toBe(10);
      // The relay learns owners and sizes only.
      expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('blobs')).toEqual(['id', 'owner', 'size', 'created_at', 'completed_at']);
    },
  },
  5: {
    seed(db) {
      db.prepare("INSERT INTO push_messages (id, topic, time, expires, json) VALUES ('p1', 'ops', 1, 2, '{}')").run();
    },
    check(db) {
      expect(db.prepare('SELECT id FROM push_messages').pluck().all()).toEqual(['p1']);
      const file = db.prepare('INSERT INTO push_attachments (id, size, expires) VALUES (?, ?, ?)');
      file.run('p1', 10, 100);
      expect(() => file.run('p1', 10, 100)).toThrow(/UNIQUE/);
      expect(() => file.run('p2', -1, 100)).toThrow(/CHECK/);
      // No foreign key: a file stays (until it expires) when its message leaves the cache.
      file.run('gone', 5, 200);
      expect(db.prepare('SELECT sum(size) FROM push_attachments').pluck().get()).toBe(15);
      expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('push_attachments')).toEqual(['id', 'size', 'expires']);
    },
  },
  6: {
    seed(db) {
      addAccount(db, 'alice', 'device-a');
      db.prepare(
        `INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed) VALUES ('device-a', 'message', 'm1', 'bob', 'device-b', 1, '{"k":1}')`,
      ).run();
    },
    check(db) {
      const totals = db.prepare('SELECT device, messages, bytes FROM queue_totals');
      expect(totals.all()).toEqual([{ device: 'device-a', messages: 1, bytes: 7 }]);
      db.prepare('DELETE FROM envelopes').run();
      expect(totals.all()).toEqual([{ device: 'device-a', messages: 0, bytes: 0 }]);
      expect(() => db.prepare("INSERT INTO queue_totals VALUES ('x', -1, 0)").run()).toThrow(/CHECK/);
      db.prepare("INSERT INTO refused (device, count) VALUES ('device-a', 3)").run();
      expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('refused')).toEqual(['device', 'count']);
    },
  },
  7: {
    seed(db) {
      db.prepare("INSERT INTO blobs (id, owner, size, created_at, completed_at) VALUES ('b1', 'alice', 10, 1, 2)").run();
    },
    check(db) {
      expect(db.prepare('SELECT id, completed_at, kept_at FROM blobs').all()).toEqual([{ id: 'b1', completed_at: 2, kept_at: null }]);
      // Still owners, sizes and times only.
      expect(db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('blobs')).toEqual(['id', 'owner', 'size', 'created_at', 'completed_at', 'kept_at']);
    },
  },
  8: {
    seed(db) {
      addAccount(db, 'alice', 'device-a');
      const insert = db.prepare(
        `INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed) VALUES ('device-a', 'message', ?, 'bob', 'device-b', 1, '{}')`,
      );
      for (const id of ['m1', 'm2', 'm3']) insert.run(id);
      // The newest was acked: its seq is gone from the table but was handed out.
      db.prepare("DELETE FROM envelopes WHERE message_id = 'm3'").run();
    },
    check(db) {
      // The journal starts at epoch 0, and seqs go on after the last one ever handed out.
      expect(db.prepare('SELECT id, epoch, last_seq FROM queue_journal').all()).toEqual([{ id: 1, epoch: 0, last_seq: 3 }]);
      expect(db.prepare('SELECT count(*) FROM envelopes').pluck().get()).toBe(2);
      expect(() => db.prepare('INSERT INTO queue_journal VALUES (2, 0, 0)').run()).toThrow(/CHECK/);
    },
  },
};

describe('relay migrations', () => {
  it('are numbered 1, 2, … in the order they run, and each has its promises checked here', () => {
    expect(RELAY_MIGRATIONS.map((m) => m.version)).toEqual(RELAY_MIGRATIONS.map((_, i) => i + 1));
    expect(Object.keys(promises).map(Number)).toEqual(RELAY_MIGRATIONS.map((m) => m.version));
    const file = newFile();
    expect(() => migrate(openFile(file), file, [RELAY_MIGRATIONS[1]!])).toThrow('numbered 2, expected 1');
  });

  for (const step of RELAY_MIGRATIONS) {
    it(`step ${step.version} (${step.name}) runs on a database at ${step.version - 1}`, () => {
      const file = newFile();
      const db = openFile(file);
      const previous = RELAY_MIGRATIONS.slice(0, step.version - 1);
      expect(migrate(db, file, previous)).toBe(0);
      promises[step.version]!.seed?.(db);
      expect(migrate(db, file, RELAY_MIGRATIONS.slice(0, step.version))).toBe(step.version - 1);
      expect(schemaVersion(db)).toBe(step.version);
      promises[step.version]!.check(db);
    });
  }

  it('1 and 2 make exactly the tables and indexes the schema-2 release made', () => {
    const file = newFile();
    const db = openFile(file);
    migrate(db, file, RELAY_MIGRATIONS.slice(0, 2));
    expect(schemaOf(db)).toEqual(schemaOf(copiedFixture().db));
  });

  it('leave a schema-2 database as it is: none of steps 1 and 2 runs on it again', () => {
    const { db, file } = copiedFixture();
    const before = contentsOf(db);
    const notAgain = RELAY_MIGRATIONS.slice(0, 2).map((m) => failing(m.version, () => undefined));
    expect(migrate(db, file, notAgain)).toBe(2);
    expect(contentsOf(db)).toEqual(before);
    // Step 3 finds every table there already.
    expect(migrate(db, file, [...notAgain, RELAY_MIGRATIONS[2]!])).toBe(2);
    expect(contentsOf(db)).toEqual({ ...before, version: 3 });
  });

  it('run all pending steps in one transaction: a step that fails leaves a new database empty', () => {
    const file = newFile();
    const db = openFile(file);
    const steps = [...RELAY_MIGRATIONS, failing(RELAY_MIGRATIONS.length + 1, (d) => addAccount(d, 'alice', 'device-a'))];
    expect(() => migrate(db, file, steps)).toThrow(`migration ${steps.length} (a step that fails half way) failed: disk full`);
    expect(schemaVersion(db)).toBe(0);
    expect(schemaOf(db)).toEqual([]);
  });

  it('run all pending steps in one transaction: a step that fails leaves a schema-2 database as it was', () => {
    const { db, file } = copiedFixture();
    const before = contentsOf(db);
    const breaking = failing(RELAY_MIGRATIONS.length + 1, (d) => {
      d.exec('DELETE FROM envelopes; DROP TABLE push_messages; CREATE TABLE half_done (x INTEGER) STRICT');
    });
    expect(() => migrate(db, file, [...RELAY_MIGRATIONS, breaking])).toThrow(/disk full/);
    expect(contentsOf(db)).toEqual(before);
  });

  it('refuse the unnumbered database of the relay before end-to-end encryption instead of guessing', () => {
    const file = newFile();
    const db = openFile(file);
    db.exec('CREATE TABLE accounts (username TEXT PRIMARY KEY, created_at INTEGER NOT NULL) STRICT');
    db.close();
    expect(() => openSqliteRelayDatabase(path.dirname(file))).toThrow(/holds accounts from before end-to-end encryption/);
    expect(schemaVersion(openFile(file))).toBe(0);
  });

  it('bring a new folder up to the last step when the relay opens it', () => {
    const dir = path.dirname(newFile());
    const relay = openSqliteRelayDatabase(dir);
    expect(schemaVersion(relay.db)).toBe(RELAY_MIGRATIONS.length);
    relay.close();
  });
});
