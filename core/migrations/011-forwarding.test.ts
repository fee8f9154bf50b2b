// Step 11: forwarding. Every attachment stored so far names its own blob; no message was forwarded.
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, describe, expect, it } from 'vitest';
import { copySchema2Profile, openCopiedHistory } from '../../tests/history-fixture.js';
import { migrate, schemaVersion } from '../../shared/sqlite-migrations.js';
import { AttachmentStore } from '../attachments/attachment-store.js';
import { HISTORY_FILE } from '../profile.js';
import { HISTORY_MIGRATIONS } from './history-migrations.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

const pointer = (id: string) => ({
  id, key: 'k'.repeat(43), digest: '0'.repeat(64), size: 10, cipherSize: 51, type: 'text/plain', name: 'notes.txt', kind: 'file',
});

describe('history step 11: forwarding', () => {
  it('keeps every message and attachment, each attachment of its own blob, no message forwarded', () => {
    const dir = copySchema2Profile('bob');
    const db = openCopiedHistory(dir);
    open.push(db);
    const file = path.join(dir, HISTORY_FILE);
    migrate(db, file, HISTORY_MIGRATIONS.slice(0, 10));
    const [first, second, third] = db.prepare("SELECT id FROM messages WHERE kind = 'text' ORDER BY seq").pluck().all() as string[];
    const insert = db.prepare('INSERT INTO attachments (id, message_id, position, pointer, upload, state) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run('AAAAAAAAAAAAAAAAAAAAAA', first, 0, JSON.stringify(pointer('AAAAAAAAAAAAAAAAAAAAAA')), 0, 'ready');
    insert.run('BBBBBBBBBBBBBBBBBBBBBB', second, 0, JSON.stringify(pointer('BBBBBBBBBBBBBBBBBBBBBB')), 1, 'uploaded');
    const messages = db.prepare('SELECT * FROM messages ORDER BY seq').all() as Record<string, unknown>[];
    const attachments = db.prepare('SELECT * FROM attachments ORDER BY rowid').all() as Record<string, unknown>[];
    expect(third).toBeDefined();

    expect(migrate(db, file, HISTORY_MIGRATIONS.slice(0, 11))).toBe(10);

    expect(schemaVersion(db)).toBe(11);
    expect(db.prepare('SELECT * FROM messages ORDER BY seq').all()).toEqual(messages.map((m) => ({ ...m, forwarded: 0 })));
    expect(db.prepare('SELECT * FROM attachments ORDER BY rowid').all()).toEqual(attachments.map((a) => ({ ...a, blob_id: a.id })));

    // The store reads them as before, and a forwarded copy of a stored blob gets a handle of its own.
    const store = new AttachmentStore(db);
    expect(store.row('AAAAAAAAAAAAAAAAAAAAAA')).toMatchObject({ blobId: 'AAAAAAAAAAAAAAAAAAAAAA', messageId: first, state: 'ready' });
    // A message's files are stored once: a redelivery adds nothing.
    store.insertRows(second!, [{ pointer: pointer('AAAAAAAAAAAAAAAAAAAAAA') as never, upload: false, state: 'remote' }]);
    expect(store.rowsOf(second!).map((r) => r.blobId)).toEqual(['BBBBBBBBBBBBBBBBBBBBBB']);
    store.insertRows(third!, [{ pointer: pointer('AAAAAAAAAAAAAAAAAAAAAA') as never, upload: false, state: 'ready' }]);
    const copies = store.rowsOfBlob('AAAAAAAAAAAAAAAAAAAAAA');
    expect(copies.map((r) => r.messageId)).toEqual([first, third]);
    expect(copies[1]!.id).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect(() => db.prepare("UPDATE messages SET forwarded = 2 WHERE id = ?").run(first)).toThrow(/CHECK/);
  });
});
