// Forwarding. A forwarded attachment keeps its blob (same id, key and ciphertext), so one history
// may now hold several attachments of one blob: a row's id becomes this device's own handle for it,
// and blob_id the relay's id, which also names the ciphertext file in <profile>/attachments/. Every
// row stored so far was the only one of its blob and named by it: its blob_id is its id. And a
// message says whether it was forwarded, as its sender's payload did.
import type { Migration } from './migration.js';

export const forwarding: Migration = {
  version: 11,
  name: 'forwarding',
  up(db) {
    db.exec(`
ALTER TABLE attachments ADD COLUMN blob_id TEXT NOT NULL DEFAULT '';
UPDATE attachments SET blob_id = id;
CREATE INDEX attachments_by_blob ON attachments(blob_id);
ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0 CHECK (forwarded IN (0, 1));
`);
  },
};
