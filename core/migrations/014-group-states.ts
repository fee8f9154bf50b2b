// Groups as their owners sign them (shared/group-state.ts). A group made by an earlier release has
// no row: it keeps the rules it had, and its members and messages stay as they are.
import type { Migration } from './migration.js';

export const groupStates: Migration = {
  version: 14,
  name: 'group states',
  up(db) {
    db.exec(`
CREATE TABLE group_states (
  group_id TEXT PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
  owner    TEXT NOT NULL,
  state    TEXT NOT NULL
);
`);
  },
};
