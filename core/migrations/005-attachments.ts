// The files messages carry: one row per attachment, in the message's order. The pointer is the
// sealed payload's AttachmentPointer as JSON, key included: the key lives only here, in the
// encrypted history, and the ciphertext in <profile>/attachments/<id>. `upload` says that this
// device uploads the file (its ciphertext was made here) rather than fetches it; `upload_url` is
// the tus upload's URL once the relay made one, so an upload resumes after a restart; `transferred`
// is how much ciphertext has moved, kept at chunk boundaries; `error` the IpcError of a failure.
// No foreign key to messages: rebuildTable (a later step remaking messages) renames the table, and
// SQLite would follow the rename with the reference; the store keeps the two consistent instead.
import type { Migration } from './migration.js';

export const attachments: Migration = {
  version: 5,
  name: 'attachments',
  up(db) {
    db.exec(`
CREATE TABLE attachments (
  id          TEXT PRIMARY KEY,
  message_id  TEXT NOT NULL,
  position    INTEGER NOT NULL CHECK (position >= 0),
  pointer     TEXT NOT NULL,
  upload      INTEGER NOT NULL CHECK (upload IN (0, 1)),
  state       TEXT NOT NULL CHECK (state IN ('uploading', 'uploaded', 'remote', 'downloading', 'ready', 'damaged', 'missing', 'failed')),
  transferred INTEGER NOT NULL DEFAULT 0,
  error       TEXT,
  upload_url  TEXT,
  UNIQUE (message_id, position)
) STRICT;
`);
  },
};
