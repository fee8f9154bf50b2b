// Schema 2 of the PostgreSQL database: the push cache, the push API's users, tokens and rules, the
// attachment blobs' index and the push attachments' index, as the SQLite relay has them after its
// steps 001–007 (here made in one step: no PostgreSQL database ever had an earlier form).
//
// Unix times and byte counts are BIGINT: sizes sum past 2^31, and times may be milliseconds.
// Nothing here refers to accounts or devices (step 1): a blob's owner is a username with no foreign
// key, as in SQLite, since a blob already sent stays downloadable until it expires even after its
// sender's account is reset; and resetting an account must not depend on these tables.
import type { PgMigration } from './postgres-migrations.js';

export const pushAndBlobs: PgMigration = {
  version: 2,
  name: 'push and attachment blobs',
  async up(client) {
    await client.query(`
-- seq orders the cache (a subscriber catches up after the last id it saw); time is when a push is
-- (or was) due. Writers take an advisory lock so that seq order is also commit order (push-cache.ts).
CREATE TABLE push_messages (
  seq     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id      TEXT NOT NULL UNIQUE,
  topic   TEXT NOT NULL,
  time    BIGINT NOT NULL,
  expires BIGINT NOT NULL,
  json    TEXT NOT NULL
);
CREATE INDEX push_messages_by_topic ON push_messages(topic, seq);
CREATE INDEX push_messages_by_expiry ON push_messages(expires);
-- Passwords as Argon2id strings, tokens as SHA-256 (they are random), rules for a user or for
-- everyone ('*'), so rules have no foreign key to users.
CREATE TABLE push_users (
  name          TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'user'))
);
CREATE TABLE push_tokens (
  hash    TEXT PRIMARY KEY,
  name    TEXT NOT NULL REFERENCES push_users(name) ON DELETE CASCADE,
  label   TEXT NOT NULL,
  expires BIGINT
);
-- PostgreSQL, unlike SQLite, makes no index for a foreign key: the cascade on a user's removal needs one.
CREATE INDEX push_tokens_by_user ON push_tokens(name);
CREATE TABLE push_rules (
  name       TEXT NOT NULL,
  topic      TEXT NOT NULL,
  permission TEXT NOT NULL CHECK (permission IN ('read-write', 'read-only', 'write-only', 'deny')),
  PRIMARY KEY (name, topic)
);
CREATE TABLE blobs (
  id           TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  size         BIGINT NOT NULL CHECK (size >= 0),
  created_at   BIGINT NOT NULL,
  completed_at BIGINT,
  kept_at      BIGINT
);
-- The quota sums an account's sizes; expiry looks for old finished and old unfinished uploads.
CREATE INDEX blobs_by_owner ON blobs(owner, size);
CREATE INDEX blobs_by_age ON blobs(completed_at, created_at);
-- No foreign key to push_messages: a file outlives its message when the cache is shorter.
CREATE TABLE push_attachments (
  id      TEXT PRIMARY KEY,
  size    BIGINT NOT NULL CHECK (size >= 0),
  expires BIGINT NOT NULL
);
CREATE INDEX push_attachments_by_expiry ON push_attachments(expires);
`);
  },
};
