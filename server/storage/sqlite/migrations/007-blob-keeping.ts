// Schema 7: a blob can be kept longer. A forwarded attachment reuses its blob (same id and key)
// rather than being uploaded again; the forwarding device asks the relay to keep it, and from then
// it lives --queue-ttl from that request rather than from its upload, so the new recipients have as
// long to fetch it as the first ones had.
import type { Migration } from './migration.js';

export const blobKeeping: Migration = {
  version: 7,
  name: 'blob keeping',
  up(db) {
    db.exec('ALTER TABLE blobs ADD COLUMN kept_at INTEGER');
  },
};
