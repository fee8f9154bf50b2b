// Schema 1: accounts, devices and the per-device queues, with presence's contacts, last seen and
// hidden. The relay before end-to-end encryption had these tables without account keys,
// certificates or sealed envelopes, and never numbered its schema; its accounts cannot be carried
// over (no client could talk to them), so the database opener refuses such a file instead. Here
// the tables are as schema 2 released them.
import type { Migration } from './migration.js';

export const messaging: Migration = {
  version: 1,
  name: 'accounts, devices and queues',
  up(db) {
    db.exec(`
CREATE TABLE accounts (
  username    TEXT PRIMARY KEY,
  account_key TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE devices (
  identity_key TEXT PRIMARY KEY,
  username     TEXT NOT NULL REFERENCES accounts(username),
  certificate  TEXT NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX devices_by_account ON devices(username);
-- One row per (target device, envelope); deleted when that device acks it.
CREATE TABLE envelopes (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  device        TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('message', 'delivered')),
  message_id    TEXT NOT NULL,
  from_username TEXT NOT NULL,
  from_device   TEXT NOT NULL,
  server_time   INTEGER NOT NULL,
  sealed        TEXT
) STRICT;
CREATE INDEX envelopes_by_device ON envelopes(device, seq);
CREATE INDEX envelopes_by_age ON envelopes(server_time);
-- (username, other): username has written to other, so other may see username's presence.
CREATE TABLE contacts (
  username TEXT NOT NULL,
  other    TEXT NOT NULL,
  PRIMARY KEY (username, other)
) STRICT, WITHOUT ROWID;
CREATE INDEX contacts_by_reader ON contacts(other);
CREATE TABLE last_seen (
  username TEXT PRIMARY KEY,
  at       INTEGER
) STRICT;
CREATE TABLE hidden (
  username TEXT PRIMARY KEY
) STRICT;
-- Per device: envelopes that expired before it came back, to tell it how many.
CREATE TABLE expired (
  device TEXT PRIMARY KEY,
  count  INTEGER NOT NULL
) STRICT;
-- Makes a retried send idempotent.
CREATE TABLE sent (
  from_device TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  server_time INTEGER NOT NULL,
  PRIMARY KEY (from_device, message_id)
) STRICT;
`);
  },
};
