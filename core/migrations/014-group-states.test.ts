// Step 14: group states; every conversation and message stays, and no group has an owner yet.
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

describe('history step 14: group states', () => {
  it('keeps every conversation and message, gives no group an owner, and drops a state with its group', () => {
    const dir = copySchema2Profile('bob');
    const db = openCopiedHistory(dir);
    open.push(db);
    const file = path.join(dir, HISTORY_FILE);
    migrate(db, file, HISTORY_MIGRATIONS.slice(0, 13));
    const conversations = db.prepare('SELECT * FROM conversations ORDER BY rowid').all();
    const messages = db.prepare('SELECT * FROM messages ORDER BY rowid').all();
    expect(messages.length).toBeGreaterThan(0);

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 14))).toBe(13);

    expect(schemaVersion(db)).toBe(14);
    expect(db.prepare('SELECT * FROM conversations ORDER BY rowid').all()).toEqual(conversations);
    expect(db.prepare('SELECT * FROM messages ORDER BY rowid').all()).toEqual(messages);
    expect(db.prepare('SELECT count(*) FROM group_states').pluck().get()).toBe(0);
    db.pragma('foreign_keys = ON');
    db.prepare("INSERT INTO conversations (id, kind, title, members, created_at) VALUES ('#BBBBBBBBBBBBBBBBBBBBBB', 'group', 'G', '[]', 1)").run();
    db.prepare("INSERT INTO group_states (group_id, owner, state) VALUES ('#BBBBBBBBBBBBBBBBBBBBBB', 'bob', '{}')").run();
    expect(() => db.prepare("INSERT INTO group_states (group_id, owner, state) VALUES ('#CCCCCCCCCCCCCCCCCCCCCC', 'bob', '{}')").run()).toThrow(/FOREIGN KEY/);
    db.prepare("DELETE FROM conversations WHERE id = '#BBBBBBBBBBBBBBBBBBBBBB'").run();
    expect(db.prepare('SELECT count(*) FROM group_states').pluck().get()).toBe(0);
  });
});
