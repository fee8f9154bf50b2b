// How a person keeps each conversation, synced to their other devices: pinned (since when, for the
// order), archived, muted until when, marked unread; state_at is the time of the state last applied,
// so an older one arriving late changes nothing. The draft is this device's alone.
import type { Migration } from './migration.js';

export const conversationState: Migration = {
  version: 10,
  name: 'conversation state',
  up(db) {
    db.exec(`
ALTER TABLE conversations ADD COLUMN pinned_at INTEGER;
ALTER TABLE conversations ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN muted_until INTEGER;
ALTER TABLE conversations ADD COLUMN marked_unread INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN state_at INTEGER;
ALTER TABLE conversations ADD COLUMN draft TEXT;
`);
  },
};
