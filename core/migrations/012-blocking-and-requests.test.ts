// Step 12: blocked people and message requests; nobody is blocked and no conversation is a request.
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

describe('history step 12: blocking and message requests', () => {
  it('keeps every conversation, none a request, and blocks nobody', () => {
    const dir = copySchema2Profile('bob');
    const db = openCopiedHistory(dir);
    open.push(db);
    const file = path.join(dir, HISTORY_FILE);
    migrate(db, file, HISTORY_MIGRATIONS.slice(0, 11));
    const before = db.prepare('SELECT * FROM conversations ORDER BY rowid').all() as Record<string, unknown>[];
    const messages = db.prepare('SELECT * FROM messages ORDER BY rowid').all();
    expect(before.length).toBeGreaterThan(0);

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 12))).toBe(11);

    expect(schemaVersion(db)).toBe(12);
    expect(db.prepare('SELECT * FROM conversations ORDER BY rowid').all()).toEqual(before.map((c) => ({ ...c, request: 0 })));
    expect(db.prepare('SELECT * FROM messages ORDER BY rowid').all()).toEqual(messages);
    expect(db.prepare('SELECT count(*) FROM blocked_people').pluck().get()).toBe(0);
    // One row per person: a second state for the same person replaces the first.
    db.prepare('INSERT INTO blocked_people (username, blocked, changed_at) VALUES (?, 1, 1)').run('mallory');
    expect(() => db.prepare('INSERT INTO blocked_people (username, blocked, changed_at) VALUES (?, 0, 2)').run('mallory')).toThrow(/UNIQUE/);
  });
});
