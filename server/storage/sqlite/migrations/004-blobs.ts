// Schema 4: the index of end-to-end encrypted attachments (the ciphertext is in files under
// <data>/blobs/). Owner and sizes only, for the quota, the uploader's rights and expiry: the relay
// never learns a name, a type or a key. No foreign key to accounts: a blob already sent stays
// downloadable for its recipients until it expires, even if its sender's account is reset.
import type { Migration } from './migration.js';

export const blobs: Migration = {
  version: 4,
  name: 'attachment blobs',
  up(db) {
    db.exec(`
CREATE TABLE blobs (
  id           TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  size         INTEGER NOT NULL CHECK (size >= 0),
  created_at   INTEGER NOT NULL,
  completed_at INTEGER
) STRICT;
-- The quota sums an account's sizes; expiry looks for old finished and old unfinished uploads.
CREATE INDEX blobs_by_owner ON blobs(owner, size);
CREATE INDEX blobs_by_age ON blobs(completed_at, created_at);
`);
  },
};
