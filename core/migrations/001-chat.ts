// Schema 1, as released before end-to-end encryption: conversations (direct and group), messages,
// the outbox, payloads held for groups not known yet, and settings.
import type { Migration } from './migration.js';

export const chat: Migration = {
  version: 1,
  name: 'chat',
  up(db) {
    db.exec(`
CREATE TABLE conversations (
  id         TEXT PRIMARY KEY,
  kind       TEXT NOT NULL CHECK (kind IN ('direct', 'group')),
  title      TEXT NOT NULL,
  members    TEXT NOT NULL,
  active     INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
) STRICT;
CREATE TABLE messages (
  id              TEXT PRIMARY KEY,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  sender          TEXT NOT NULL,
  outgoing        INTEGER NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('text', 'event')),
  text            TEXT NOT NULL,
  event           TEXT,
  sent_at         INTEGER NOT NULL,
  server_time     INTEGER,
  state           TEXT NOT NULL,
  read            INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX messages_by_conversation ON messages(conversation_id, server_time);
CREATE INDEX messages_unread ON messages(conversation_id, read) WHERE outgoing = 0;
-- What is still to be sent, in the order it was written: chat messages and control payloads alike.
CREATE TABLE outbox (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  recipients TEXT NOT NULL,
  payload    TEXT NOT NULL
) STRICT;
-- Payloads for a group this device does not know yet, replayed when it learns of the group.
CREATE TABLE held (
  message_id  TEXT PRIMARY KEY,
  group_id    TEXT NOT NULL,
  payload     TEXT NOT NULL,
  server_time INTEGER NOT NULL
) STRICT;
CREATE INDEX held_by_group ON held(group_id);
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`);
  },
};
