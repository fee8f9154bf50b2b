// The send ids in sent.sqlite: known from the moment they are recorded, on disk once their batch is
// written by the writer thread, pruned by age; a sent.sqlite from a newer release is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../shared/sqlite-migrations.js';
import { openSqliteRelayDatabase, type SqliteRelayDatabase } from './database.js';
import { SENT_MIGRATIONS } from './migrations/sent-migrations.js';
import { SENT_DATABASE_FILE, SentIds } from './sent-ids.js';

const open: (SqliteRelayDatabase | SentIds)[] = [];
afterEach(async () => {
  for (const it of open.splice(0).reverse()) await it.close();
});

function setUp(): { dir: string; sentIds: SentIds } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-sent-'));
  const relay = openSqliteRelayDatabase(dir);
  open.push(relay);
  const sentIds = SentIds.open(dir, relay.db);
  open.push(sentIds);
  return { dir, sentIds };
}

const onDisk = (dir: string) => {
  const db = new Database(path.join(dir, SENT_DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT from_device, message_id, server_time FROM sent ORDER BY message_id').all();
  } finally {
    db.close();
  }
};

describe('the send ids', () => {
  it('are known once recorded, written by their own thread, then pruned by age', async () => {
    const { dir, sentIds } = setUp();
    sentIds.record({ fromDevice: 'alice-1', messageId: 'm1', serverTime: 100 });
    sentIds.record({ fromDevice: 'alice-1', messageId: 'm2', serverTime: 200 });
    expect(sentIds.timeOf('alice-1', 'm1')).toBe(100);
    expect(sentIds.timeOf('alice-2', 'm1')).toBeUndefined();
    expect(sentIds.unconfirmedIds()).toHaveLength(2);
    expect(onDisk(dir)).toEqual([]);

    await sentIds.writeBatch();
    expect(sentIds.unconfirmedIds()).toEqual([]);
    expect(onDisk(dir)).toEqual([
      { from_device: 'alice-1', message_id: 'm1', server_time: 100 },
      { from_device: 'alice-1', message_id: 'm2', server_time: 200 },
    ]);
    expect(sentIds.timeOf('alice-1', 'm2')).toBe(200);

    sentIds.record({ fromDevice: 'alice-1', messageId: 'm3', serverTime: 300 });
    // Pruning writes what waits first, then forgets by age.
    expect(await sentIds.prune(250)).toBe(2);
    expect(sentIds.timeOf('alice-1', 'm1')).toBeUndefined();
    expect(sentIds.timeOf('alice-1', 'm3')).toBe(300);
  });

  it('refuse a sent.sqlite from a newer release, untouched', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-sent-'));
    const newer = new Database(path.join(dir, SENT_DATABASE_FILE));
    newer.pragma(`user_version = ${SENT_MIGRATIONS.length + 1}`);
    newer.close();
    const relay = openSqliteRelayDatabase(dir);
    open.push(relay);
    expect(() => SentIds.open(dir, relay.db)).toThrow(/sent\.sqlite is schema 2; this Warbler knows up to 1/);
    const again = new Database(path.join(dir, SENT_DATABASE_FILE), { readonly: true });
    expect(schemaVersion(again)).toBe(2);
    again.close();
  });
});
