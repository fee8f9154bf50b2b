// Migration 006 (queue totals) on the databases relays have today: the last schema-2 release's
// (tests/fixtures/schema-2/relay) and the same at schemas 3 to 5. Every row is kept, the totals
// start as the queues are, and the triggers keep them so through sends, acks and expiry.
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../shared/sqlite-migrations.js';
import { contentsOf, copyRelayFixture, schemasAt } from '../../../../tests/relay-fixture.js';
import { RELAY_DATABASE_FILE } from '../database.js';
import { RELAY_MIGRATIONS } from './relay-migrations.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function fixtureAt(version: 2 | 3 | 4 | 5): { db: Database.Database; file: string } {
  const file = path.join(copyRelayFixture(), RELAY_DATABASE_FILE);
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  open.push(db);
  if (version > 2) migrate(db, file, RELAY_MIGRATIONS.slice(0, version));
  expect(schemaVersion(db)).toBe(version);
  return { db, file };
}

/** The totals as they should be: counted from the queues themselves. */
const counted = (db: Database.Database) =>
  db
    .prepare(
      `SELECT device, count(*) AS messages, sum(length(sealed)) AS bytes FROM envelopes WHERE kind = 'message' GROUP BY device ORDER BY device`,
    )
    .all();
const totals = (db: Database.Database) => db.prepare('SELECT device, messages, bytes FROM queue_totals WHERE messages > 0 ORDER BY device').all();

describe('migration 006 (queue totals)', () => {
  for (const version of [2, 3, 4, 5] as const) {
    it(`brings a schema-${version} relay database to 6 with nothing lost`, () => {
      const { db, file } = fixtureAt(version);
      const before = contentsOf(db);
      expect(counted(db).length).toBeGreaterThan(0);
      expect(migrate(db, file, RELAY_MIGRATIONS.slice(0, 6))).toBe(version);
      expect(schemaVersion(db)).toBe(6);

      const after = contentsOf(db);
      expect(after.schema).toEqual(expect.arrayContaining(before.schema));
      const { queue_totals: _totals, refused, ...kept } = after.rows;
      expect(refused).toEqual([]);
      for (const [table, rows] of Object.entries(kept)) expect(rows, table).toEqual(before.rows[table] ?? []);
      expect(totals(db)).toEqual(counted(db));

      // Whatever adds or removes an envelope keeps the totals: a send, an ack, an expiry.
      const device = (counted(db)[0] as { device: string }).device;
      const insert = db.prepare(
        `INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed) VALUES (?, ?, ?, 'x', 'x-1', ?, ?)`,
      );
      insert.run(device, 'message', 'new-1', 10, '{"kind":"box"}');
      insert.run('a-new-device', 'message', 'new-2', 10, '{"k":1}');
      insert.run(device, 'delivered', 'new-3', 10, null);
      expect(totals(db)).toEqual(counted(db));
      db.prepare(`DELETE FROM envelopes WHERE message_id = 'new-1'`).run();
      db.prepare('DELETE FROM envelopes WHERE server_time < 11').run();
      expect(totals(db)).toEqual(counted(db));
    });
  }

  it('is what a new relay database gets too', () => {
    const { upgraded, fresh } = schemasAt(6);
    expect(fresh).toEqual(upgraded);
  });
});
