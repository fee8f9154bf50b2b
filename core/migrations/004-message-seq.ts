// Every stored message gets a receive sequence: the order this device stored messages in, never
// reused. The rowid was that order until a row was deleted: removing the newest row (a placeholder
// for a message that did not decrypt, replaced when the real one arrives) freed its rowid for the
// next message, and a reader that remembered the last rowid it had seen missed that message. seq is
// the rowid itself, made AUTOINCREMENT; existing messages keep their rowids, so their current order.
// from_relay tells what came through the relay (a contact's message, a group change, what this
// account's other devices sent, a placeholder) from what this device wrote itself; before this step
// only the direction was known, so an incoming line counts as from the relay and an outgoing one not.
// cli.printed is the CLI's cursor over seq (core/client/printed-cursor.ts), set here so that every
// history has it: at the end of what a history holds, so an upgraded profile's first sync does not
// dump its whole past, and a new profile (no messages yet) prints everything it receives.
import type { Migration } from './migration.js';
import { rebuildTable } from './rebuild.js';

const COLUMNS = 'id, conversation_id, sender, outgoing, kind, text, event, sent_at, server_time, state, read';

export const messageSeq: Migration = {
  version: 4,
  name: 'message receive sequence and origin',
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
  read            INTEGER NOT NULL DEFAULT 0,
  from_relay      INTEGER NOT NULL
) STRICT`,
      into: `seq, ${COLUMNS}, from_relay`,
      from: `rowid, ${COLUMNS}, outgoing = 0 AND kind != 'identity-changed'`,
      indexes: [
        'CREATE INDEX messages_by_conversation ON messages(conversation_id, server_time)',
        'CREATE INDEX messages_unread ON messages(conversation_id, read) WHERE outgoing = 0',
      ],
    });
    // The name as it was when this step was written: a later rename is a step of its own.
    db.exec("INSERT INTO settings (key, value) SELECT 'cli.printed', CAST(coalesce(max(seq), 0) AS TEXT) FROM messages");
  },
};
