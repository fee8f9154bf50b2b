// Schema 1 of the PostgreSQL database: what the relay's SQLite schema 7 holds for accounts,
// devices, queues, presence, prekeys and the relay's key, in one step (PostgreSQL relays start
// here; nothing is carried over from SQLite). Push and blob tables come in step 2.
//
// Names and keys are COLLATE "C": compared and ordered byte by byte, as SQLite does, so lists
// come back in the same order on both, and every node locks queue rows in one order (no deadlock).
// Queue totals are kept by the queue store, not by triggers: the store holds the device's totals
// row locked while it changes the queue anyway (see ../queue-store.ts).
import type { PgMigration } from './postgres-migrations.js';

export const messaging: PgMigration = {
  version: 1,
  name: 'accounts, devices, queues, presence, prekeys and the relay key',
  async up(client) {
    await client.query(`
CREATE TABLE accounts (
  username    TEXT COLLATE "C" PRIMARY KEY,
  account_key TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE TABLE devices (
  identity_key TEXT COLLATE "C" PRIMARY KEY,
  username     TEXT COLLATE "C" NOT NULL REFERENCES accounts(username),
  certificate  TEXT NOT NULL,
  created_at   BIGINT NOT NULL
);
CREATE INDEX devices_by_account ON devices(username, created_at, identity_key);
-- One row per (target device, envelope); deleted when that device acks it.
CREATE TABLE envelopes (
  seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device        TEXT COLLATE "C" NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('message', 'delivered')),
  message_id    TEXT NOT NULL,
  from_username TEXT COLLATE "C" NOT NULL,
  from_device   TEXT COLLATE "C" NOT NULL,
  server_time   BIGINT NOT NULL,
  sealed        TEXT
);
CREATE INDEX envelopes_by_device ON envelopes(device, seq);
CREATE INDEX envelopes_by_age ON envelopes(server_time);
-- What waits for each device (messages only, not receipts), so a send to a full queue is refused
-- without counting the queue. Its row is also the lock that orders the device's envelopes.
CREATE TABLE queue_totals (
  device   TEXT COLLATE "C" PRIMARY KEY,
  messages INTEGER NOT NULL CHECK (messages >= 0),
  bytes    BIGINT NOT NULL CHECK (bytes >= 0)
);
-- Per device: messages that expired before it came back, and messages refused because its queue
-- was full, to tell it how many.
CREATE TABLE expired (
  device TEXT COLLATE "C" PRIMARY KEY,
  count  INTEGER NOT NULL
);
CREATE TABLE refused (
  device TEXT COLLATE "C" PRIMARY KEY,
  count  INTEGER NOT NULL
);
-- Makes a retried send idempotent.
CREATE TABLE sent (
  from_device TEXT COLLATE "C" NOT NULL,
  message_id  TEXT COLLATE "C" NOT NULL,
  server_time BIGINT NOT NULL,
  PRIMARY KEY (from_device, message_id)
);
CREATE INDEX sent_by_age ON sent(server_time);
-- (username, other): username has written to other, so other may see username's presence.
CREATE TABLE contacts (
  username TEXT COLLATE "C" NOT NULL,
  other    TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (username, other)
);
CREATE INDEX contacts_by_reader ON contacts(other, username);
CREATE TABLE last_seen (
  username TEXT COLLATE "C" PRIMARY KEY,
  at       BIGINT
);
CREATE TABLE hidden (
  username TEXT COLLATE "C" PRIMARY KEY
);
CREATE TABLE signed_prekeys (
  device     TEXT COLLATE "C" PRIMARY KEY REFERENCES devices(identity_key) ON DELETE CASCADE,
  id         INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  signature  TEXT NOT NULL
);
CREATE TABLE one_time_prekeys (
  device     TEXT COLLATE "C" NOT NULL REFERENCES devices(identity_key) ON DELETE CASCADE,
  id         INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  PRIMARY KEY (device, id)
);
CREATE TABLE relay_identity (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  public_key TEXT NOT NULL,
  secret_key TEXT NOT NULL
);
`);
  },
};
