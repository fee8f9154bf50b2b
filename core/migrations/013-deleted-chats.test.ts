// Step 13: deleted chats; nothing is recorded as deleted, and every conversation and message stays.
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

describe('history step 13: deleted chats', () => {
  it('keeps every conversation and message, and records no chat as deleted', () => {
    const dir = copySchema2Profile('bob');
    const db = openCopiedHistory(dir);
    open.push(db);
    const file = path.join(dir, HISTORY_FILE);
    migrate(db, file, HISTORY_MIGRATIONS.slice(0, 12));
    const conversations = db.prepare('SELECT * FROM conversations ORDER BY rowid').all();
    const messages = db.prepare('SELECT * FROM messages ORDER BY rowid').all();
    expect(conversations.length).toBeGreaterThan(0);
    expect(messages.length).toBeGreaterThan(0);

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 13))).toBe(12);

    expect(schemaVersion(db)).toBe(13);
    expect(db.prepare('SELECT * FROM conversations ORDER BY rowid').all()).toEqual(conversations);
    expect(db.prepare('SELECT * FROM messages ORDER BY rowid').all()).toEqual(messages);
    expect(db.prepare('SELECT count(*) FROM deleted_chats').pluck().get()).toBe(0);
    // One row per person: deleting the chat again replaces the first.
    db.prepare('INSERT INTO deleted_chats (username, deleted_at) VALUES (?, 1)').run('carol');
    expect(() => db.prepare('INSERT INTO deleted_chats (username, deleted_at) VALUES (?, 2)').run('carol')).toThrow(/UNIQUE/);
  });
});
