// What a relay writing its queues straight to relay.sqlite needs of the files a relay with the
// queues' journal (--queue-journal) left in the folder: the journal must hold nothing, or its
// envelopes would be lost; the send ids written to sent.sqlite go back to relay.sqlite, where this
// relay looks them up.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import { holdsRecords } from './journal-file.js';
import { SENT_DATABASE_FILE } from './sent-ids.js';

export function refuseUnreadJournal(db: Database.Database, dir: string): void {
  const { epoch } = db.prepare('SELECT epoch FROM queue_journal WHERE id = 1').get() as { epoch: number };
  if (!holdsRecords(dir, epoch)) return;
  throw new Error(
    `${dir} holds the queue journal of a relay that ran there with --queue-journal and did not stop cleanly: start it once more with --queue-journal (and without --redis), then stop it, so that what the journal holds moves into relay.sqlite`,
  );
}

export function takeBackSentIds(db: Database.Database, dir: string): void {
  const file = path.join(dir, SENT_DATABASE_FILE);
  if (!fs.existsSync(file)) return;
  db.prepare('ATTACH DATABASE ? AS sent_ids').run(file);
  try {
    if (db.prepare("SELECT 1 FROM sent_ids.sqlite_master WHERE name = 'sent'").get() === undefined) return;
    // Not atomic across the two files: a crash between the two statements copies again, harmlessly.
    db.exec('INSERT OR IGNORE INTO main.sent (from_device, message_id, server_time) SELECT from_device, message_id, server_time FROM sent_ids.sent');
    db.exec('DELETE FROM sent_ids.sent');
  } finally {
    db.exec('DETACH DATABASE sent_ids');
  }
}
