// What people do to messages already sent: replies quote one (reply_to, the Quote's JSON, indexed by
// the quoted id: a deletion for everyone empties the quotes too), edits
// keep the texts they replaced (message_versions) and mark the message (edited_at, the relay time
// of the newest edit), a deletion for everyone empties it and keeps only when (deleted_at), and
// reactions are one per person per message, the newest winning. message_actions is the log of the
// actions received, in the order they were stored: a redelivery is recognised by its id, and the
// CLI prints them once each (cli.printedActions is its cursor, from the start: the log is new).
//
// The search index is made again, contentless without contentless_delete: that variant keeps a
// deleted row's terms in the index until its segments are merged, whereas this one's 'delete'
// command with secure-delete set takes them out of the file at once. The 'delete' needs the terms
// the row was indexed with, which the triggers compute again from the old text: searchTerms() must
// give the same terms for the same text in every release, or a later step rebuilds the index.
import { registerSearchTerms, SEARCH_PLACE_FUNCTION as PLACE, SEARCH_TERMS_FUNCTION as TERMS } from '../search/terms.js';
import type { Migration } from './migration.js';

const INDEXED_NEW = "new.kind = 'text' AND new.deleted_at IS NULL";
const INDEXED_OLD = "old.kind = 'text' AND old.deleted_at IS NULL";
const ADD_NEW = `INSERT INTO message_search (rowid, terms, place) SELECT new.seq, ${TERMS}(new.text), ${PLACE}(new.conversation_id, new.sender) WHERE ${INDEXED_NEW};`;
const DELETE_OLD = `INSERT INTO message_search (message_search, rowid, terms, place)
    SELECT 'delete', old.seq, ${TERMS}(old.text), ${PLACE}(old.conversation_id, old.sender) WHERE ${INDEXED_OLD};`;

export const messageActions: Migration = {
  version: 8,
  name: 'message actions',
  up(db) {
    registerSearchTerms(db);
    db.exec(`
ALTER TABLE messages ADD COLUMN reply_to TEXT;
ALTER TABLE messages ADD COLUMN edited_at INTEGER;
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;
CREATE INDEX messages_by_quote ON messages(reply_to ->> '$.id') WHERE reply_to IS NOT NULL;
CREATE TABLE message_versions (
  message_id  TEXT NOT NULL,
  text        TEXT NOT NULL,
  replaced_at INTEGER NOT NULL
) STRICT;
CREATE INDEX message_versions_by_message ON message_versions(message_id);
CREATE TABLE reactions (
  message_id TEXT NOT NULL,
  reactor    TEXT NOT NULL,
  emoji      TEXT NOT NULL,
  at         INTEGER NOT NULL,
  PRIMARY KEY (message_id, reactor)
) STRICT, WITHOUT ROWID;
CREATE TABLE message_actions (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              TEXT NOT NULL UNIQUE,
  kind            TEXT NOT NULL CHECK (kind IN ('reaction', 'edit', 'delete')),
  target          TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  sender          TEXT NOT NULL,
  value           TEXT,
  sent_at         INTEGER NOT NULL,
  server_time     INTEGER,
  from_relay      INTEGER NOT NULL
) STRICT;
CREATE INDEX message_actions_by_target ON message_actions(target);
INSERT INTO settings (key, value) VALUES ('cli.printedActions', '0');

DROP TRIGGER message_search_insert;
DROP TRIGGER message_search_delete;
DROP TRIGGER message_search_update;
DROP TABLE message_search;
CREATE VIRTUAL TABLE message_search USING fts5(terms, place, content = '', tokenize = 'unicode61 remove_diacritics 2');
INSERT INTO message_search (message_search, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
INSERT INTO message_search (message_search, rank) VALUES ('secure-delete', 1);
CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN
  ${ADD_NEW}
END;
CREATE TRIGGER message_search_delete AFTER DELETE ON messages BEGIN
  ${DELETE_OLD}
END;
CREATE TRIGGER message_search_update AFTER UPDATE OF text, kind, conversation_id, sender, deleted_at ON messages BEGIN
  ${DELETE_OLD}
  ${ADD_NEW}
END;
INSERT INTO message_search (rowid, terms, place)
  SELECT seq, ${TERMS}(text), ${PLACE}(conversation_id, sender) FROM messages WHERE kind = 'text';
`);
  },
};
