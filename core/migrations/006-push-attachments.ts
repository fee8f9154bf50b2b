// A push's attachment (ntfy's object: name, url, and for a file the relay keeps its type, size and
// expiry), as JSON; null for a push without one and for every push stored before this step.
import type { Migration } from './migration.js';

export const pushAttachments: Migration = {
  version: 6,
  name: 'push attachments',
  up(db) {
    db.exec('ALTER TABLE push_items ADD COLUMN attachment TEXT');
  },
};
