// Full-text search over the messages' text, inside the encrypted history. The index is contentless
// (the text is in messages already; the index holds only its terms, keyed by the message's seq) and
// kept in step by triggers, in the transaction that writes the message. Its terms come from
// searchTerms() (core/search/terms.ts), which the connection registers before any write; its place
// column holds the conversation and the sender as tokens, for filters, and weighs nothing in the rank.
import { registerSearchTerms, SEARCH_PLACE_FUNCTION, SEARCH_TERMS_FUNCTION } from '../search/terms.js';
import type { Migration } from './migration.js';

const PLACE = SEARCH_PLACE_FUNCTION;

export const messageSearch: Migration = {
  version: 7,
  name: 'message search',
  up(db) {
    registerSearchTerms(db);
    db.exec(`
CREATE VIRTUAL TABLE message_search USING fts5(
  terms, place, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO message_search (message_search, rank) VALUES ('rank', 'bm25(1.0, 0.0)');
CREATE TRIGGER message_search_insert AFTER INSERT ON messages WHEN new.kind = 'text' BEGIN
  INSERT INTO message_search (rowid, terms, place) VALUES (new.seq, ${SEARCH_TERMS_FUNCTION}(new.text), ${PLACE}(new.conversation_id, new.sender));
END;
CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN old.kind = 'text' BEGIN
  DELETE FROM message_search WHERE rowid = old.seq;
END;
CREATE TRIGGER message_search_update AFTER UPDATE OF text, kind, conversation_id, sender ON messages BEGIN
  DELETE FROM message_search WHERE rowid = old.seq AND old.kind = 'text';
  INSERT INTO message_search (rowid, terms, place) SELECT new.seq, ${SEARCH_TERMS_FUNCTION}(new.text), ${PLACE}(new.conversation_id, new.sender) WHERE new.kind = 'text';
END;
INSERT INTO message_search (rowid, terms, place) SELECT seq, ${SEARCH_TERMS_FUNCTION}(text), ${PLACE}(conversation_id, sender) FROM messages WHERE kind = 'text';
`);
  },
};
