// Step 10: how a person keeps each conversation; every conversation starts as it was shown before.
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

describe('history step 10: conversation state', () => {
  it('keeps every conversation, none pinned, archived, muted or marked, without a draft', () => {
    const dir = copySchema2Profile('bob');
    const db = openCopiedHistory(dir);
    open.push(db);
    const file = path.join(dir, HISTORY_FILE);
    migrate(db, file, HISTORY_MIGRATIONS.slice(0, 9));
    const before = db.prepare('SELECT * FROM conversations ORDER BY rowid').all() as Record<string, unknown>[];
    const messages = db.prepare('SELECT * FROM messages ORDER BY rowid').all();
    expect(before.length).toBeGreaterThan(0);

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 10))).toBe(9);

    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare('SELECT * FROM conversations ORDER BY rowid').all()).toEqual(
      before.map((c) => ({ ...c, pinned_at: null, archived: 0, muted_until: null, marked_unread: 0, state_at: null, draft: null })),
    );
    expect(db.prepare('SELECT * FROM messages ORDER BY rowid').all()).toEqual(messages);
  });
});
