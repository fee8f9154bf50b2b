// Migration 007 (blob keeping) on the databases relays have today: the last schema-2 release's
// (tests/fixtures/schema-2/relay) brought to 6. Every row is kept, no blob counts as kept, and
// the index keeps a finished blob on the upgraded file.
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

function fixtureAt(version: 6): { db: Database.Database; file: string } {
  const file = path.join(copyRelayFixture(), RELAY_DATABASE_FILE);
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  open.push(db);
  migrate(db, file, RELAY_MIGRATIONS.slice(0, version));
  expect(schemaVersion(db)).toBe(version);
  return { db, file };
}

describe('migration 007 (blob keeping)', () => {
  for (const version of [6] as const) {
    it(`brings a schema-${version} relay database to 7 with nothing lost`, async () => {
      const { db, file } = fixtureAt(version);
      db.prepare('INSERT INTO blobs (id, owner, size, created_at, completed_at) VALUES (?, ?, ?, ?, ?)').run('AAAAAAAAAAAAAAAAAAAAAA', 'alice', 500, 10, 20);
      db.prepare('INSERT INTO blobs (id, owner, size, created_at, completed_at) VALUES (?, ?, ?, ?, NULL)').run('BBBBBBBBBBBBBBBBBBBBBB', 'alice', 500, 10);
      const before = contentsOf(db);
      expect(migrate(db, file, RELAY_MIGRATIONS.slice(0, 7))).toBe(version);
      expect(schemaVersion(db)).toBe(7);

      const after = contentsOf(db);
      expect(after.schema.filter((e) => (e as { name: string }).name !== 'blobs')).toEqual(
        before.schema.filter((e) => (e as { name: string }).name !== 'blobs'),
      );
      const { blobs, ...rest } = after.rows;
      expect(rest).toEqual(Object.fromEntries(Object.entries(before.rows).filter(([table]) => table !== 'blobs')));
      const parsed = (rows: string[] | undefined) => (rows ?? []).map((row) => JSON.parse(row) as object);
      expect(parsed(blobs)).toEqual(parsed(before.rows.blobs).map((row) => ({ ...row, kept_at: null })));

      const index = new SqliteBlobIndex(db);
      expect(await index.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ completedAt: 20, keptAt: null });
      expect(await index.expired(30, 0, 10)).toEqual(['AAAAAAAAAAAAAAAAAAAAAA']);
      expect(await index.keep('AAAAAAAAAAAAAAAAAAAAAA', 40)).toBe(true);
      expect(await index.keep('BBBBBBBBBBBBBBBBBBBBBB', 40)).toBe(false);
      // An earlier request never shortens it.
      expect(await index.keep('AAAAAAAAAAAAAAAAAAAAAA', 35)).toBe(true);
      expect(await index.get('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ completedAt: 20, keptAt: 40 });
      expect(await index.expired(30, 0, 10)).toEqual([]);
      expect(await index.expired(41, 0, 10)).toEqual(['AAAAAAAAAAAAAAAAAAAAAA']);
    });
  }

  it('is what a new relay database gets too', () => {
    const { upgraded, fresh } = schemasAt(7);
    expect(fresh).toEqual(upgraded);
  });
});
