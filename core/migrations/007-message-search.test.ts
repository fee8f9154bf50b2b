// Step 7: the full-text index over the messages already kept, then kept in step by triggers.
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { copySchema2Profile, openCopiedHistory, schemaOf } from '../../tests/history-fixture.js';
import { migrate, schemaVersion } from '../../shared/sqlite-migrations.js';
import { HISTORY_FILE } from '../profile.js';
import { MessageSearch } from '../search/message-search.js';
import { HISTORY_MIGRATIONS } from './history-migrations.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function aliceAtStep6(): { db: Database.Database; file: string } {
  const dir = copySchema2Profile('alice');
  const db = openCopiedHistory(dir);
  open.push(db);
  const file = path.join(dir, HISTORY_FILE);
  migrate(db, file, HISTORY_MIGRATIONS.slice(0, 6));
  return { db, file };
}

const texts = (hits: { text: string }[]) => hits.map((hit) => hit.text).sort();
const everyRow = (db: Database.Database) => {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'message_search%' ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()]));
};

describe('history step 7: message search', () => {
  it('indexes the text messages a history already holds, and changes no other table or row', () => {
    const { db, file } = aliceAtStep6();
    const before = everyRow(db);
    const schemaBefore = schemaOf(db);

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 7))).toBe(6);

    expect(schemaVersion(db)).toBe(7);
    expect(everyRow(db)).toEqual(before);
    const added = schemaOf(db).filter((entry) => !schemaBefore.some((b) => b.name === entry.name)).map((entry) => entry.name);
    expect(added).toEqual(expect.arrayContaining(['message_search', 'message_search_insert', 'message_search_delete', 'message_search_update']));
    const search = new MessageSearch(db);
    const texts = db.prepare("SELECT text FROM messages WHERE kind = 'text'").pluck().all() as string[];
    expect(texts.length).toBeGreaterThan(3);
    // Every text message is found by its own first word, and the index holds nothing else.
    for (const text of texts) expect(search.search(text.split(' ')[0]!).map((hit) => hit.text)).toContain(text);
    expect(db.prepare('SELECT count(*) FROM message_search').pluck().get()).toBe(texts.length);
  });

  it('keeps the index in step with every later insert, delete and change of text', () => {
    const { db, file } = aliceAtStep6();
    migrate(db, file, HISTORY_MIGRATIONS.slice(0, 7));
    const search = new MessageSearch(db);
    const insert = db.prepare(
      `INSERT INTO messages (id, conversation_id, sender, outgoing, kind, text, sent_at, server_time, state, from_relay)
       VALUES (?, 'bob', 'bob', 0, ?, ?, 1, 1, 'delivered', 1)`,
    );
    insert.run('x1', 'text', '周末去爬山吗');
    insert.run('x2', 'undecryptable', '爬山 placeholder');
    expect(texts(search.search('爬山'))).toEqual(['周末去爬山吗']);

    db.prepare("UPDATE messages SET text = 'changed to swimming' WHERE id = 'x1'").run();
    expect(search.search('爬山')).toEqual([]);
    expect(texts(search.search('swim'))).toEqual(['changed to swimming']);
    // A placeholder replaced in place by the message it stood for becomes searchable.
    db.prepare("UPDATE messages SET kind = 'text', text = 'late hiking plan' WHERE id = 'x2'").run();
    expect(texts(search.search('hiking'))).toEqual(['late hiking plan']);

    db.prepare("DELETE FROM messages WHERE id IN ('x1', 'x2')").run();
    expect(search.search('swim')).toEqual([]);
    expect(search.search('hiking')).toEqual([]);
  });
});
