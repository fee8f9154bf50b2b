// Migration 004 (the attachment blobs' index) on the databases relays have today: the last
// schema-2 release's (tests/fixtures/schema-2/relay) and the same at schema 3. Every row is kept,
// the new table starts empty, and the blob index store works on the result.
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../shared/sqlite-migrations.js';
import { contentsOf, copyRelayFixture, schemasAt } from '../../../../tests/relay-fixture.js';
import { SqliteBlobIndex } from '../blob-index.js';
import { RELAY_DATABASE_FILE } from '../database.js';
import { RELAY_MIGRATIONS } from './relay-migrations.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function fixtureAt(version: 2 | 3): { db: Database.Database; file: string } {
  const file = path.join(copyRelayFixture(), RELAY_DATABASE_FILE);
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  open.push(db);
  if (version === 3) migrate(db, file, RELAY_MIGRATIONS.slice(0, 3));
  expect(schemaVersion(db)).toBe(version);
  return { db, file };
}

describe('migration 004 (attachment blobs)', () => {
  for (const version of [2, 3] as const) {
    it(`brings a schema-${version} relay database to 4 with nothing lost`, async () => {
      const { db, file } = fixtureAt(version);
      const before = contentsOf(db);
      expect(Object.values(before.rows).some((rows) => rows.length > 0)).toBe(true);
      expect(migrate(db, file, RELAY_MIGRATIONS.slice(0, 4))).toBe(version);
      expect(schemaVersion(db)).toBe(4);

      const after = contentsOf(db);
      const added = after.schema.filter((entry) => !before.schema.some((old) => JSON.stringify(old) === JSON.stringify(entry)));
      expect(added.map((e) => (e as { name: string }).name).sort()).toEqual(['blobs', 'blobs_by_age', 'blobs_by_owner', 'sqlite_autoindex_blobs_1']);
      expect(after.schema).toEqual(expect.arrayContaining(before.schema));
      const { blobs, ...kept } = after.rows;
      expect(blobs).toEqual([]);
      expect(kept).toEqual(before.rows);

      // The index (of today's schema) works on the file brought on from there: the quota counts, expiry finds old uploads.
      migrate(db, file, RELAY_MIGRATIONS);
      const index = new SqliteBlobIndex(db);
      expect(await index.reserve({ id: 'b1', owner: 'alice', size: 700, createdAt: 1 }, 1000)).toBe('reserved');
      expect(await index.reserve({ id: 'b1', owner: 'bob', size: 1, createdAt: 1 }, 1000)).toBe('exists');
      expect(await index.reserve({ id: 'b2', owner: 'alice', size: 301, createdAt: 2 }, 1000)).toBe('quota_exceeded');
      expect(await index.reserve({ id: 'b2', owner: 'alice', size: 300, createdAt: 2 }, 1000)).toBe('reserved');
      await index.complete('b1', 10);
      await index.complete('b1', 20);
      expect(await index.get('b1')).toEqual({ id: 'b1', owner: 'alice', size: 700, createdAt: 1, completedAt: 10, keptAt: null });
      expect(await index.usedBytes('alice')).toBe(1000);
      expect(await index.expired(11, 0, 10)).toEqual(['b1']);
      expect((await index.expired(0, 3, 10)).sort()).toEqual(['b2']);
      await index.remove('b1');
      expect(await index.usedBytes('alice')).toBe(300);
    });
  }

  it('is what a new relay database gets too', () => {
    const { upgraded, fresh } = schemasAt(4);
    expect(fresh).toEqual(upgraded);
  });
});
