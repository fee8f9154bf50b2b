// Schema 2, as released: end-to-end encryption (prekeys, Double Ratchet sessions, pinned identities,
// the ledger of what was received and sent) and the push center. A message can be a placeholder for
// one that did not decrypt, or a note that a contact's key changed; an outbox entry can be for one
// device only. The push tables came while the version was already 2 (every open made any table
// missing), so every released schema-2 database has them; here they are part of step 2.
import type { Migration } from './migration.js';
import { rebuildTable } from './rebuild.js';

/**
 * Tables that came while the version was already 2: an early schema-2 history lacks them until
 * step 3 makes them.
 */
export const TABLES_ADDED_AT_2 = `
-- Messages this device could not decrypt and asked for again: only that device may answer, and
-- the answer takes the relay's time of the original, not a time the sender claims.
CREATE TABLE resend_requests (
  message_id  TEXT PRIMARY KEY,
  device      TEXT NOT NULL,
  username    TEXT NOT NULL,
  server_time INTEGER NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE TABLE push_subscriptions (
  topic        TEXT PRIMARY KEY,
  muted        INTEGER NOT NULL DEFAULT 0,
  min_priority INTEGER NOT NULL DEFAULT 3,
  -- The newest push id received: the relay sends what came after it on the next connection.
  last_id      TEXT
) STRICT;
CREATE TABLE push_items (
  id       TEXT PRIMARY KEY,
  topic    TEXT NOT NULL,
  time     INTEGER NOT NULL,
  message  TEXT NOT NULL,
  title    TEXT,
  tags     TEXT NOT NULL,
  priority INTEGER NOT NULL,
  click    TEXT,
  markdown INTEGER NOT NULL,
  read     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX push_items_by_topic ON push_items(topic, time);
CREATE INDEX push_items_unread ON push_items(read) WHERE read = 0;
`;

const MESSAGE_COLUMNS = 'id, conversation_id, sender, outgoing, kind, text, event, sent_at, server_time, state, read';
const OUTBOX_COLUMNS = 'seq, message_id, recipients, payload';

export const endToEnd: Migration = {
  version: 2,
  name: 'end-to-end encryption and push',
  up(db) {
    rebuildTable(db, {
      table: 'messages',
      create: `CREATE TABLE messages (
  id              TEXT PRIMARY KEY,
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
      into: `rowid, ${MESSAGE_COLUMNS}`,
      from: `rowid, ${MESSAGE_COLUMNS}`,
      indexes: [
        'CREATE INDEX messages_by_conversation ON messages(conversation_id, server_time)',
        'CREATE INDEX messages_unread ON messages(conversation_id, read) WHERE outgoing = 0',
      ],
    });
    rebuildTable(db, {
      table: 'outbox',
      create: `CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  recipients TEXT NOT NULL,
  payload    TEXT NOT NULL,
  -- Only this device (a resend request or its answer), over a new session when fresh = 1.
  device     TEXT,
  fresh      INTEGER NOT NULL DEFAULT 0
) STRICT`,
      into: OUTBOX_COLUMNS,
      from: OUTBOX_COLUMNS,
      indexes: [],
    });
    db.exec(`
CREATE TABLE prekeys (
  -- AUTOINCREMENT: an id is never reused, so a message sealed to an old prekey cannot meet a new one.
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  kind        TEXT NOT NULL CHECK (kind IN ('signed', 'one-time')),
  public_key  TEXT NOT NULL,
  secret_key  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  -- A signed prekey replaced by a newer one: its secret goes 30 days later.
  retired_at  INTEGER
) STRICT;
CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  device      TEXT NOT NULL,
  state       TEXT NOT NULL,
  ad          TEXT NOT NULL,
  -- X3DH's initial message, sent with every message until the other device answers (initiator).
  prekey      TEXT,
  -- The initiator's ephemeral key this session was made from (responder): a repeat finds it.
  base_key    TEXT,
  used_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_device ON sessions(device, used_at);
CREATE TABLE identities (
  username    TEXT PRIMARY KEY,
  account_key TEXT NOT NULL,
  verified    INTEGER NOT NULL DEFAULT 0,
  changed_at  INTEGER,
  -- Changed after this person had verified it: nothing is sent to it until they decide again.
  held        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE received (
  from_device TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  at          INTEGER NOT NULL,
  PRIMARY KEY (from_device, message_id)
) STRICT, WITHOUT ROWID;
CREATE TABLE sent_payloads (
  message_id  TEXT PRIMARY KEY,
  recipients  TEXT NOT NULL,
  -- The devices it was sealed for: only they may have it again (not a device linked since).
  devices     TEXT NOT NULL,
  payload     TEXT NOT NULL,
  server_time INTEGER NOT NULL
) STRICT;
CREATE INDEX sent_payloads_by_age ON sent_payloads(server_time);
`);
    db.exec(TABLES_ADDED_AT_2);
  },
};
