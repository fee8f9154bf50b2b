// Every schema the relay's send-id database (sent.sqlite under --data) has had, in order. A released
// step is never edited: a change is a new step at the end, with its own test.
import type { Migration } from './migration.js';

/**
 * Schema 1: the send ids that make a retried send idempotent, kept apart from relay.sqlite so that
 * a thread of their own can write them in large batches without taking relay.sqlite's write lock.
 * Keyed as they are looked up; by time for the hourly pruning.
 */
const sentIds: Migration = {
  version: 1,
  name: 'send ids',
  up(db) {
    db.exec(`
CREATE TABLE sent (
  from_device TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  server_time INTEGER NOT NULL,
  PRIMARY KEY (from_device, message_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX sent_by_time ON sent(server_time);
`);
  },
};

export const SENT_MIGRATIONS: readonly Migration[] = [sentIds];
