// Schema 5: the files attached to pushes (ntfy's attachments, under <data>/push-attachments/): each
// one's size, for --attachment-total-size-limit, and its expiry, for the hourly prune and for
// answering 404 the moment it expires. No foreign key to push_messages: a file outlives its message
// in the cache when the cache is shorter (ntfy keeps them apart too).
import type { Migration } from './migration.js';

export const pushAttachments: Migration = {
  version: 5,
  name: 'push attachments',
  up(db) {
    db.exec(`
CREATE TABLE push_attachments (
  id      TEXT PRIMARY KEY,
  size    INTEGER NOT NULL CHECK (size >= 0),
  expires INTEGER NOT NULL
) STRICT;
CREATE INDEX push_attachments_by_expiry ON push_attachments(expires);
`);
  },
};
