// Schema 2, as released: the prekeys end-to-end encryption brought, then the push cache, the push
// API's users, tokens and rules, and the relay's signing key. The push tables came while the
// version was already 2 (every open made any table missing), so the last schema-2 release, whose
// databases this step must match, has them all.
import type { Migration } from './migration.js';

/**
 * Tables that came while the version was already 2: an early schema-2 relay lacks them until step 3
 * makes them.
 */
export const TABLES_ADDED_AT_2 = `
-- Push messages, cached per topic until they expire (12 h by default), so a subscriber that was
-- away catches up. seq orders them; time is when each is (or was) due.
CREATE TABLE push_messages (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  id      TEXT NOT NULL UNIQUE,
  topic   TEXT NOT NULL,
  time    INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  json    TEXT NOT NULL
) STRICT;
CREATE INDEX push_messages_by_topic ON push_messages(topic, seq);
CREATE INDEX push_messages_by_expiry ON push_messages(expires);
-- The push API's users (passwords as Argon2id strings), their access tokens (as SHA-256: they are
-- random), and per-topic rules for a user or for everyone ('*').
CREATE TABLE push_users (
  name          TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'user'))
) STRICT;
CREATE TABLE push_tokens (
  hash       TEXT PRIMARY KEY,
  name       TEXT NOT NULL REFERENCES push_users(name) ON DELETE CASCADE,
  label      TEXT NOT NULL,
  expires    INTEGER
) STRICT;
CREATE TABLE push_rules (
  name       TEXT NOT NULL,
  topic      TEXT NOT NULL,
  permission TEXT NOT NULL CHECK (permission IN ('read-write', 'read-only', 'write-only', 'deny')),
  PRIMARY KEY (name, topic)
) STRICT;
CREATE TABLE relay_identity (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  public_key TEXT NOT NULL,
  secret_key TEXT NOT NULL
) STRICT;
`;

export const preKeysAndPush: Migration = {
  version: 2,
  name: 'prekeys and push',
  up(db) {
    db.exec(`
CREATE TABLE signed_prekeys (
  device     TEXT PRIMARY KEY REFERENCES devices(identity_key) ON DELETE CASCADE,
  id         INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  signature  TEXT NOT NULL
) STRICT;
CREATE TABLE one_time_prekeys (
  device     TEXT NOT NULL REFERENCES devices(identity_key) ON DELETE CASCADE,
  id         INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  PRIMARY KEY (device, id)
) STRICT, WITHOUT ROWID;
`);
    db.exec(TABLES_ADDED_AT_2);
  },
};
