// People this account blocks, synced to its other devices: a row per person ever blocked, the
// newest state winning (changed_at), so an unblock is kept as a row too. A direct conversation
// started by a stranger's message is a request (`request` = 1) until accepted or written to.
import type { Migration } from './migration.js';

export const blockingAndRequests: Migration = {
  version: 12,
  name: 'blocking and message requests',
  up(db) {
    db.exec(`
CREATE TABLE blocked_people (
  username   TEXT PRIMARY KEY,
  blocked    INTEGER NOT NULL,
  changed_at INTEGER NOT NULL
);
ALTER TABLE conversations ADD COLUMN request INTEGER NOT NULL DEFAULT 0;
`);
  },
};
