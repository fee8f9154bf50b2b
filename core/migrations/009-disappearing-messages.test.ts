// Step 9: a timer per conversation, and each message's own lifetime; nothing disappears that was
// written before it.
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { copySchema2Profile, openCopiedHistory } from '../../tests/history-fixture.js';
import { migrate, schemaVersion } from '../../shared/sqlite-migrations.js';
import { HISTORY_FILE } from '../profile.js';
import { HISTORY_MIGRATIONS } from './history-migrations.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const rows = (db: Database.Database, table: string) => db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all() as Record<string, unknown>[];

describe('history step 9: disappearing messages', () => {
  it('keeps every conversation and message as it was, none of them timed', () => {
    const dir = copySchema2Profile('carol');
    const db = openCopiedHistory(dir);
    open.push(db);
    const file = path.join(dir, HISTORY_FILE);
    migrate(db, file, HISTORY_MIGRATIONS.slice(0, 8));
    const conversations = rows(db, 'conversations');
    const messages = rows(db, 'messages');
    expect(messages.length).toBeGreaterThan(0);

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 9))).toBe(8);

    expect(schemaVersion(db)).toBe(9);
    expect(rows(db, 'conversations')).toEqual(conversations.map((c) => ({ ...c, expires_in: null })));
    expect(rows(db, 'messages')).toEqual(messages.map((m) => ({ ...m, expires_in: null, expires_at: null })));
    expect(db.prepare('SELECT count(*) FROM messages WHERE expires_at IS NOT NULL').pluck().get()).toBe(0);
    const plan = db.prepare('EXPLAIN QUERY PLAN SELECT id FROM messages WHERE expires_at <= 5 ORDER BY expires_at').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join()).toContain('messages_expiring');
  });
});
