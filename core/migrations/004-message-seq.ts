// Every stored message gets a receive sequence: the order this device stored messages in, never
// reused. The rowid was that order until a row was deleted: removing the newest row (a placeholder
// for a message that did not decrypt, replaced when the real one arrives) freed its rowid for the
// next message, and a reader that remembered the last rowid it had seen missed that message. seq is
// the rowid itself, made AUTOINCREMENT; existing messages keep their rowids, so their current order.
import type { Migration } from './migration.js';
import { rebuildTable } from './rebuild.js';

const COLUMNS = 'id, conversation_id, sender, outgoing, kind, text, event, sent_at, server_time, state, read';

export const messageSeq: Migration = {
  version: 3,
  name: 'message receive sequence',
  up(db) {
    rebuildTable(db, {
      table: 'messages',
      create: `CREATE TABLE messages (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  sender          TEXT NOT NULL,
  outgoing        INTEGER NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('text', 'event', 'undecryptable', 'identity-changed')),
  text            TEXT NOT NULL,
  event           TEXT,
  sent_at         INTEGER NOT NULL,
  server_time     INTEGER,
  state           TEXT NOT NULL,
  read            INTEGER NOT NULL DEFAULT 0
) STRICT`,
      into: `seq, ${COLUMNS}`,
      from: `rowid, ${COLUMNS}`,
      indexes: [
        'CREATE INDEX messages_by_conversation ON messages(conversation_id, server_time)',
        'CREATE INDEX messages_unread ON messages(conversation_id, read) WHERE outgoing = 0',
      ],
    });
  },
};
