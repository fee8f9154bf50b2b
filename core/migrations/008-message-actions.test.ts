// Step 8: replies, edits, deletions and reactions, and the search index made again so that a
// deletion takes a message's terms out of the file at once.
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { copySchema2Profile, openCopiedHistory } from '../../tests/history-fixture.js';
import { migrate, schemaVersion } from '../../shared/sqlite-migrations.js';
import { HISTORY_FILE } from '../profile.js';
import { MessageSearch } from '../search/message-search.js';
import { MessageActionStore } from '../message-actions/store.js';
import { HISTORY_MIGRATIONS } from './history-migrations.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function aliceAtStep7(): { db: Database.Database; file: string } {
  const dir = copySchema2Profile('alice');
  const db = openCopiedHistory(dir);
  open.push(db);
  const file = path.join(dir, HISTORY_FILE);
  migrate(db, file, HISTORY_MIGRATIONS.slice(0, 7));
  return { db, file };
}

const rows = (db: Database.Database, table: string) => db.prepare(`SELECT * FROM "${table}" ORDER BY rowid`).all();

describe('history step 8: message actions', () => {
  it('keeps every message and setting as it was, and finds the same messages as before', () => {
    const { db, file } = aliceAtStep7();
    const messagesBefore = rows(db, 'messages') as Record<string, unknown>[];
    const settingsBefore = rows(db, 'settings');
    const outboxBefore = rows(db, 'outbox');
    const search = new MessageSearch(db);
    const texts = db.prepare("SELECT text FROM messages WHERE kind = 'text'").pluck().all() as string[];
    const foundBefore = texts.map((t) => search.search(t.split(' ')[0]!).map((h) => h.id).sort());

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 8))).toBe(7);

    expect(schemaVersion(db)).toBe(8);
    expect(rows(db, 'messages')).toEqual(messagesBefore.map((m) => ({ ...m, reply_to: null, edited_at: null, deleted_at: null })));
    expect(rows(db, 'outbox')).toEqual(outboxBefore);
    expect(rows(db, 'settings')).toEqual([...settingsBefore, { key: 'cli.printedActions', value: '0' }]);
    const after = new MessageSearch(db);
    expect(texts.map((t) => after.search(t.split(' ')[0]!).map((h) => h.id).sort())).toEqual(foundBefore);
    expect(db.prepare('SELECT count(*) FROM message_search').pluck().get()).toBe(texts.length);
  });

  it('keeps the index in step with edits and deletions, and leaves it whole', () => {
    const { db, file } = aliceAtStep7();
    migrate(db, file, HISTORY_MIGRATIONS.slice(0, 8));
    const search = new MessageSearch(db);
    const store = new MessageActionStore(db, { forgetSent: () => undefined });
    db.prepare(
      `INSERT INTO messages (id, conversation_id, sender, outgoing, kind, text, sent_at, server_time, state, from_relay)
       VALUES ('x1', 'bob', 'bob', 0, 'text', '周末去爬山吗', 1, 1, 'delivered', 1)`,
    ).run();
    expect(search.search('爬山').map((h) => h.id)).toEqual(['x1']);

    expect(store.edit({ id: 'x1', text: '周末去爬山吗' }, '周末去游泳吗', 5)).toBe(true);
    expect(search.search('爬山')).toEqual([]);
    expect(search.search('游泳').map((h) => h.id)).toEqual(['x1']);
    // An older edit replayed after a newer one changes nothing.
    expect(store.edit({ id: 'x1', text: '周末去游泳吗' }, 'stale', 4)).toBe(false);
    expect(store.versions('x1')).toEqual([{ text: '周末去爬山吗', replacedAt: 5 }]);

    store.empty('x1', 9);
    expect(search.search('游泳')).toEqual([]);
    expect(store.versions('x1')).toEqual([]);
    expect(db.prepare("SELECT text, deleted_at FROM messages WHERE id = 'x1'").get()).toEqual({ text: '', deleted_at: 9 });

    db.prepare("DELETE FROM messages WHERE kind = 'text'").run();
    expect(db.prepare('SELECT count(*) FROM message_search').pluck().get()).toBe(0);
    expect(() => db.exec("INSERT INTO message_search (message_search, rank) VALUES ('integrity-check', 0)")).not.toThrow();
  });
});
