// Schema 6: what waits for each device, counted as it changes, so a send can be refused when the
// recipient's queue is full (--queue-messages, --queue-bytes) without counting the queue each time;
// and per device, the messages refused that way, to tell the device when it next logs in. Triggers
// keep the totals right whichever statement adds or removes an envelope (send, ack, expiry, unlink).
// Receipts are not counted: only a device's own acks make them.
import type { Migration } from './migration.js';

export const queueTotals: Migration = {
  version: 6,
  name: 'queue totals',
  up(db) {
    db.exec(`
CREATE TABLE queue_totals (
  device   TEXT PRIMARY KEY,
  messages INTEGER NOT NULL CHECK (messages >= 0),
  bytes    INTEGER NOT NULL CHECK (bytes >= 0)
) STRICT, WITHOUT ROWID;
INSERT INTO queue_totals (device, messages, bytes)
  SELECT device, count(*), coalesce(sum(length(sealed)), 0) FROM envelopes WHERE kind = 'message' GROUP BY device;
CREATE TRIGGER envelope_queued AFTER INSERT ON envelopes WHEN NEW.kind = 'message' BEGIN
  INSERT INTO queue_totals (device, messages, bytes) VALUES (NEW.device, 1, length(NEW.sealed))
    ON CONFLICT(device) DO UPDATE SET messages = messages + 1, bytes = bytes + excluded.bytes;
END;
CREATE TRIGGER envelope_gone AFTER DELETE ON envelopes WHEN OLD.kind = 'message' BEGIN
  UPDATE queue_totals SET messages = messages - 1, bytes = bytes - length(OLD.sealed) WHERE device = OLD.device;
END;
-- Per device: messages refused because its queue was full, to tell it how many.
CREATE TABLE refused (
  device TEXT PRIMARY KEY,
  count  INTEGER NOT NULL
) STRICT;
`);
  },
};
