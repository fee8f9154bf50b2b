// Migration 005 (the push attachments' index) on the databases relays have today: the last
// schema-2 release's (tests/fixtures/schema-2/relay) and the same at schemas 3 and 4. Every row is
// kept, the new table starts empty, and the index store works on the result.
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../shared/sqlite-migrations.js';
import { contentsOf, copyRelayFixture, schemasAt } from '../../../../tests/relay-fixture.js';
import { SqlitePushAttachmentIndex } from '../push-attachment-index.js';
import { RELAY_DATABASE_FILE } from '../database.js';
import { RELAY_MIGRATIONS } from './relay-migrations.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function fixtureAt(version: 2 | 3 | 4): { db: Database.Database; file: string } {
  const file = path.join(copyRelayFixture(), RELAY_DATABASE_FILE);
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  open.push(db);
  if (version > 2) migrate(db, file, RELAY_MIGRATIONS.slice(0, version));
  expect(schemaVersion(db)).toBe(version);
  return { db, file };
}

describe('migration 005 (push attachments)', () => {
  for (const version of [2, 3, 4] as const) {
    it(`brings a schema-${version} relay database to 5 with nothing lost`, async () => {
      const { db, file } = fixtureAt(version);
      const before = contentsOf(db);
      expect(Object.values(before.rows).some((rows) => rows.length > 0)).toBe(true);
      expect(migrate(db, file, RELAY_MIGRATIONS.slice(0, 5))).toBe(version);
      expect(schemaVersion(db)).toBe(5);

      const after = contentsOf(db);
      const added = after.schema.filter((entry) => !before.schema.some((old) => JSON.stringify(old) === JSON.stringify(entry)));
      const names = added.map((e) => (e as { name: string }).name);
      expect(names.filter((n) => n.startsWith('push_attachments') || n === 'sqlite_autoindex_push_attachments_1').sort()).toEqual([
        'push_attachments',
        'push_attachments_by_expiry',
        'sqlite_autoindex_push_attachments_1',
      ]);
      expect(after.schema).toEqual(expect.arrayContaining(before.schema));
      const { push_attachments: files, ...kept } = after.rows;
      expect(files).toEqual([]);
      for (const [table, rows] of Object.entries(kept)) expect(rows, table).toEqual(before.rows[table] ?? []);

      // The index works on the upgraded file: the total is capped atomically, expiry finds old files.
      const index = new SqlitePushAttachmentIndex(db);
      expect(await index.claim({ id: 'a', size: 600, expires: 100 }, 1000)).toBe(true);
      expect(await index.claim({ id: 'b', size: 401, expires: 200 }, 1000)).toBe(false);
      expect(await index.claim({ id: 'b', size: 400, expires: 200 }, 1000)).toBe(true);
      expect(await index.totalBytes()).toBe(1000);
      expect(await index.get('a')).toEqual({ id: 'a', size: 600, expires: 100 });
      expect(await index.expired(99, 10)).toEqual([]);
      expect(await index.expired(100, 10)).toEqual(['a']);
      expect(await index.expired(300, 1)).toEqual(['a']);
      await index.remove('a');
      expect(await index.get('a')).toBeUndefined();
      expect(await index.totalBytes()).toBe(400);
    });
  }

  it('is what a new relay database gets too', () => {
    const { upgraded, fresh } = schemasAt(5);
    expect(fresh).toEqual(upgraded);
  });
});
