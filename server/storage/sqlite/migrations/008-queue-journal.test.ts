// Migration 008 (the queues' journal) on the database relays have today: the last schema-2
// release's (tests/fixtures/schema-2/relay) brought to 7. Every row is kept and seqs go on after the
// last one handed out. The relay that opens it then moves its send ids to sent.sqlite: a retry of
// a send the earlier release stored is still known there.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../shared/sqlite-migrations.js';
import { contentsOf, copyRelayFixture } from '../../../../tests/relay-fixture.js';
import type { RelayStores } from '../../relay-stores.js';
import { RELAY_DATABASE_FILE } from '../database.js';
import { openSqliteRelayStores } from '../relay-stores.js';
import { SENT_DATABASE_FILE } from '../sent-ids.js';
import { RELAY_MIGRATIONS } from './relay-migrations.js';

const open: (Database.Database | RelayStores)[] = [];
afterEach(async () => {
  for (const it of open.splice(0)) {
    if ('pragma' in it) {
      if (it.open) it.close();
    } else await it.close();
  }
});

describe('migration 008 (queue journal)', () => {
  it('brings a schema-7 relay database to 8 with nothing lost, and its send ids move to sent.sqlite', async () => {
    const dir = copyRelayFixture();
    const file = path.join(dir, RELAY_DATABASE_FILE);
    const db = new Database(file);
    open.push(db);
    migrate(db, file, RELAY_MIGRATIONS.slice(0, 7));
    const before = contentsOf(db);
    const lastSeq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'envelopes'").pluck().get() as number;
    const sent = db.prepare('SELECT from_device, message_id, server_time FROM sent ORDER BY from_device, message_id').all() as {
      from_device: string;
      message_id: string;
      server_time: number;
    }[];
    expect(sent.length).toBeGreaterThan(0);

    expect(migrate(db, file, RELAY_MIGRATIONS.slice(0, 8))).toBe(7);
    expect(schemaVersion(db)).toBe(8);
    const after = contentsOf(db);
    const { queue_journal: journal, ...rest } = after.rows;
    expect(rest).toEqual(before.rows);
    expect(db.prepare('SELECT epoch, last_seq FROM queue_journal').get()).toEqual({ epoch: 0, last_seq: lastSeq });
    expect(journal).toHaveLength(1);
    db.close();

    const stores = openSqliteRelayStores(dir);
    open.push(stores);
    const [first] = sent;
    const retry = await stores.queues.storeMessage(
      { messageId: first!.message_id, fromUsername: 'whoever', fromDevice: first!.from_device, serverTime: Date.now(), copies: [] },
      { messages: 10, bytes: 10_000 },
    );
    expect(retry).toEqual({ stored: false, duplicate: true, serverTime: first!.server_time });
    await stores.close();

    const moved = new Database(path.join(dir, SENT_DATABASE_FILE), { readonly: true });
    open.push(moved);
    expect(moved.prepare('SELECT from_device, message_id, server_time FROM sent ORDER BY from_device, message_id').all()).toEqual(sent);
    const relay = new Database(file, { readonly: true });
    open.push(relay);
    expect(relay.prepare('SELECT count(*) FROM sent').pluck().get()).toBe(0);
    expect(fs.existsSync(path.join(dir, 'queue-journal-1'))).toBe(true);
  });
});
