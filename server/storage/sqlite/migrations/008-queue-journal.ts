// Schema 8: the queues' journal. Envelopes are first written to a journal beside the database (one
// append and one fdatasync per batch); those still waiting at a checkpoint move here. This row says
// which journal epoch holds what the database does not yet, and the highest seq ever handed out,
// because envelopes acked before a checkpoint never reach the envelopes table, and a seq must not
// be handed out twice.
import type { Migration } from './migration.js';

export const queueJournal: Migration = {
  version: 8,
  name: 'queue journal',
  up(db) {
    db.exec(`
CREATE TABLE queue_journal (
  id       INTEGER PRIMARY KEY CHECK (id = 1),
  epoch    INTEGER NOT NULL,
  last_seq INTEGER NOT NULL
) STRICT;
INSERT INTO queue_journal (id, epoch, last_seq)
  VALUES (1, 0, max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'envelopes'), 0), coalesce((SELECT max(seq) FROM envelopes), 0)));
`);
  },
};
