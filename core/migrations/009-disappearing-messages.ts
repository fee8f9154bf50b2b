// Disappearing messages: a conversation's timer (expires_in, ms; null: off), copied onto each message
// written under it, and the moment a message goes (expires_at), set once its clock starts: when it
// is read here, or for this account's own messages when sent. Indexed, so the next to go is one
// lookup. A timer change is an 'event' line whose event JSON is {"timer": …} rather than a group
// change, so messages' kinds stay as they are.
import type { Migration } from './migration.js';

export const disappearingMessages: Migration = {
  version: 9,
  name: 'disappearing messages',
  up(db) {
    db.exec(`
ALTER TABLE conversations ADD COLUMN expires_in INTEGER;
ALTER TABLE messages ADD COLUMN expires_in INTEGER;
ALTER TABLE messages ADD COLUMN expires_at INTEGER;
CREATE INDEX messages_expiring ON messages(expires_at) WHERE expires_at IS NOT NULL;
`);
  },
};
