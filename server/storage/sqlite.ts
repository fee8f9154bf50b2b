import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Bundle, PreKeyUpload } from '../../shared/protocol.js';
import { PushMessage } from '../push/message.js';
import type {
  Device,
  NewDevice,
  NewMessage,
  RegisterResult,
  RelayStorage,
  StoreMessageResult,
  StoredEnvelope,
} from './storage.js';

const SCHEMA_VERSION = 2;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  username    TEXT PRIMARY KEY,
  account_key TEXT NOT NULL,
  created_at  INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS devices (
  identity_key TEXT PRIMARY KEY,
  username     TEXT NOT NULL REFERENCES accounts(username),
  certificate  TEXT NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS signed_prekeys (
  device     TEXT PRIMARY KEY REFERENCES devices(identity_key) ON DELETE CASCADE,
  id         INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  signature  TEXT NOT NULL
) STRICT;
-- Push messages, cached per topic until they expire (12 h by default), so a subscriber that was
-- away catches up. seq orders them; time is when each is (or was) due.
CREATE TABLE IF NOT EXISTS push_messages (
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  id      TEXT NOT NULL UNIQUE,
  topic   TEXT NOT NULL,
  time    INTEGER NOT NULL,
  expires INTEGER NOT NULL,
  json    TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS push_messages_by_topic ON push_messages(topic, seq);
CREATE INDEX IF NOT EXISTS push_messages_by_expiry ON push_messages(expires);
-- The push API's users (passwords as Argon2id strings), their access tokens (as SHA-256: they are
-- random), and per-topic rules for a user or for everyone ('*').
CREATE TABLE IF NOT EXISTS push_users (
  name          TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'user'))
) STRICT;
CREATE TABLE IF NOT EXISTS push_tokens (
  hash       TEXT PRIMARY KEY,
  name       TEXT NOT NULL REFERENCES push_users(name) ON DELETE CASCADE,
  label      TEXT NOT NULL,
  expires    INTEGER
) STRICT;
CREATE TABLE IF NOT EXISTS push_rules (
  name       TEXT NOT NULL,
  topic      TEXT NOT NULL,
  permission TEXT NOT NULL CHECK (permission IN ('read-write', 'read-only', 'write-only', 'deny')),
  PRIMARY KEY (name, topic)
) STRICT;
CREATE TABLE IF NOT EXISTS relay_identity (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  public_key TEXT NOT NULL,
  secret_key TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS one_time_prekeys (
  device     TEXT NOT NULL REFERENCES devices(identity_key) ON DELETE CASCADE,
  id         INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  PRIMARY KEY (device, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS devices_by_account ON devices(username);
-- One row per (target device, envelope); deleted when that device acks it.
CREATE TABLE IF NOT EXISTS envelopes (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  device        TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('message', 'delivered')),
  message_id    TEXT NOT NULL,
  from_username TEXT NOT NULL,
  from_device   TEXT NOT NULL,
  server_time   INTEGER NOT NULL,
  sealed        TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS envelopes_by_device ON envelopes(device, seq);
CREATE INDEX IF NOT EXISTS envelopes_by_age ON envelopes(server_time);
-- (username, other): username has written to other, so other may see username's presence.
CREATE TABLE IF NOT EXISTS contacts (
  username TEXT NOT NULL,
  other    TEXT NOT NULL,
  PRIMARY KEY (username, other)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS contacts_by_reader ON contacts(other);
CREATE TABLE IF NOT EXISTS last_seen (
  username TEXT PRIMARY KEY,
  at       INTEGER
) STRICT;
CREATE TABLE IF NOT EXISTS hidden (
  username TEXT PRIMARY KEY
) STRICT;
-- Per device: envelopes that expired before it came back, to tell it how many.
CREATE TABLE IF NOT EXISTS expired (
  device TEXT PRIMARY KEY,
  count  INTEGER NOT NULL
) STRICT;
-- Makes a retried send idempotent.
CREATE TABLE IF NOT EXISTS sent (
  from_device TEXT NOT NULL,
  message_id  TEXT NOT NULL,
  server_time INTEGER NOT NULL,
  PRIMARY KEY (from_device, message_id)
) STRICT;
`;

interface EnvelopeRow {
  seq: number;
  kind: 'message' | 'delivered';
  message_id: string;
  from_username: string;
  from_device: string;
  server_time: number;
  sealed: string | null;
}

/** Most one-time prekeys the relay keeps per device (a device uploads 100 and tops up below 20). */
const MAX_ONE_TIME_PREKEYS = 200;

export function openSqliteStorage(dataDir: string): RelayStorage {
  fs.mkdirSync(dataDir, { recursive: true });
  // Electron runs with its own ABI; `npm start` points this at a copy of the module built for it.
  const nativeBinding = process.env.WARBLER_SQLITE_BINDING;
  const db = new Database(path.join(dataDir, 'relay.sqlite'), nativeBinding ? { nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  // A send is acknowledged as stored only once it would survive a power cut, not just a crash.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const version = db.pragma('user_version', { simple: true }) as number;
  const hasAccounts = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'accounts'").get() !== undefined;
  if (version > SCHEMA_VERSION) throw new Error(`${dataDir}/relay.sqlite was written by a newer Warbler relay (schema ${version})`);
  if (version < SCHEMA_VERSION && hasAccounts) {
    // Protocol 1 accounts have no account keys or prekeys: no protocol 2 client could talk to them.
    throw new Error(
      `${dataDir}/relay.sqlite holds accounts from before end-to-end encryption (schema ${version}); ` +
        'move it aside to start this relay with an empty database',
    );
  }
  db.exec(SCHEMA);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);

  const q = {
    insertAccount: db.prepare('INSERT INTO accounts (username, account_key, created_at) VALUES (?, ?, ?)'),
    accountExists: db.prepare('SELECT 1 FROM accounts WHERE username = ?').pluck(),
    accountKey: db.prepare('SELECT account_key FROM accounts WHERE username = ?').pluck(),
    certifiedDevices: db.prepare('SELECT identity_key AS key, certificate FROM devices WHERE username = ? ORDER BY created_at, identity_key'),
    insertDevice: db.prepare('INSERT INTO devices (identity_key, username, certificate, created_at) VALUES (?, ?, ?, ?)'),
    deleteDevice: db.prepare('DELETE FROM devices WHERE identity_key = ? AND username = ?'),
    deleteQueue: db.prepare('DELETE FROM envelopes WHERE device = ?'),
    deleteExpiredCount: db.prepare('DELETE FROM expired WHERE device = ?'),
    deleteAccount: db.prepare('DELETE FROM accounts WHERE username = ?'),
    deleteContacts: db.prepare('DELETE FROM contacts WHERE username = @username OR other = @username'),
    deleteLastSeen: db.prepare('DELETE FROM last_seen WHERE username = ?'),
    deleteHidden: db.prepare('DELETE FROM hidden WHERE username = ?'),
    upsertSignedPreKey: db.prepare(
      `INSERT INTO signed_prekeys (device, id, public_key, signature) VALUES (?, ?, ?, ?)
       ON CONFLICT(device) DO UPDATE SET id = excluded.id, public_key = excluded.public_key, signature = excluded.signature`,
    ),
    signedPreKey: db.prepare('SELECT id, public_key, signature FROM signed_prekeys WHERE device = ?'),
    insertOneTimePreKey: db.prepare('INSERT OR REPLACE INTO one_time_prekeys (device, id, public_key) VALUES (?, ?, ?)'),
    takeOneTimePreKey: db.prepare(
      `DELETE FROM one_time_prekeys WHERE device = @device AND id = (SELECT min(id) FROM one_time_prekeys WHERE device = @device)
       RETURNING id, public_key`,
    ),
    preKeyCount: db.prepare('SELECT count(*) FROM one_time_prekeys WHERE device = ?').pluck(),
    pushUser: db.prepare('SELECT name, role, password_hash FROM push_users WHERE name = ?'),
    pushUserByToken: db.prepare(
      `SELECT u.name, u.role FROM push_tokens t JOIN push_users u ON u.name = t.name
       WHERE t.hash = ? AND (t.expires IS NULL OR t.expires > ?)`,
    ),
    pushRules: db.prepare('SELECT topic, permission FROM push_rules WHERE name = ?'),
    savePushUser: db.prepare(
      `INSERT INTO push_users (name, password_hash, role) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role`,
    ),
    removePushUser: db.prepare('DELETE FROM push_users WHERE name = ?'),
    removePushRules: db.prepare('DELETE FROM push_rules WHERE name = ?'),
    addPushToken: db.prepare('INSERT INTO push_tokens (hash, name, label, expires) VALUES (?, ?, ?, ?)'),
    setPushRule: db.prepare(
      `INSERT INTO push_rules (name, topic, permission) VALUES (?, ?, ?)
       ON CONFLICT(name, topic) DO UPDATE SET permission = excluded.permission`,
    ),
    insertPush: db.prepare('INSERT OR IGNORE INTO push_messages (id, topic, time, expires, json) VALUES (?, ?, ?, ?, ?)'),
    pushSeq: db.prepare('SELECT seq FROM push_messages WHERE id = ?').pluck(),
    // Due (time <= now) and not expired: a delayed message shows once it is due, an old one never.
    latestPush: db.prepare(
      `SELECT json FROM push_messages WHERE topic IN (SELECT value FROM json_each(@topics))
         AND time <= @now AND expires > @now ORDER BY seq DESC LIMIT 1`,
    ),
    pushesAfter: db.prepare(
      `SELECT json FROM push_messages WHERE topic IN (SELECT value FROM json_each(@topics))
         AND seq > @after AND time <= @now AND expires > @now ORDER BY seq LIMIT @limit`,
    ),
    pushesFrom: db.prepare(
      `SELECT json FROM push_messages WHERE topic IN (SELECT value FROM json_each(@topics))
         AND time >= @from AND time <= @now AND expires > @now ORDER BY seq LIMIT @limit`,
    ),
    scheduledPushes: db.prepare('SELECT json FROM push_messages WHERE time > ? ORDER BY time').pluck(),
    expirePushes: db.prepare('DELETE FROM push_messages WHERE expires <= ?'),
    deviceByKey: db.prepare('SELECT identity_key, username, created_at FROM devices WHERE identity_key = ?'),
    devicesOf: db.prepare('SELECT identity_key FROM devices WHERE username = ? ORDER BY created_at, identity_key').pluck(),
    sentLookup: db.prepare('SELECT server_time FROM sent WHERE from_device = ? AND message_id = ?').pluck(),
    insertSent: db.prepare('INSERT INTO sent (from_device, message_id, server_time) VALUES (?, ?, ?)'),
    insertEnvelope: db.prepare(
      `INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
       VALUES (@device, @kind, @messageId, @fromUsername, @fromDevice, @serverTime, @sealed)`,
    ),
    pending: db.prepare(
      `SELECT seq, kind, message_id, from_username, from_device, server_time, sealed
       FROM envelopes WHERE device = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    pruneSent: db.prepare('DELETE FROM sent WHERE server_time < ?'),
    addContact: db.prepare('INSERT OR IGNORE INTO contacts (username, other) VALUES (?, ?)'),
    audienceOf: db.prepare('SELECT other FROM contacts WHERE username = ?').pluck(),
    writersTo: db.prepare('SELECT username FROM contacts WHERE other = ?').pluck(),
    hide: db.prepare('INSERT OR IGNORE INTO hidden (username) VALUES (?)'),
    unhide: db.prepare('DELETE FROM hidden WHERE username = ?'),
    isHidden: db.prepare('SELECT 1 FROM hidden WHERE username = ?').pluck(),
    setLastSeen: db.prepare('INSERT INTO last_seen (username, at) VALUES (?, ?) ON CONFLICT(username) DO UPDATE SET at = excluded.at'),
    lastSeen: db.prepare('SELECT at FROM last_seen WHERE username = ?').pluck(),
    expiredByDevice: db.prepare(
      `SELECT device, count(*) AS n FROM envelopes WHERE server_time < @before AND (@device IS NULL OR device = @device)
       AND kind = 'message' GROUP BY device`,
    ),
    deleteExpired: db.prepare('DELETE FROM envelopes WHERE server_time < @before AND (@device IS NULL OR device = @device)'),
    addExpired: db.prepare(
      'INSERT INTO expired (device, count) VALUES (?, ?) ON CONFLICT(device) DO UPDATE SET count = count + excluded.count',
    ),
    takeExpired: db.prepare('DELETE FROM expired WHERE device = ? RETURNING count').pluck(),
    deleteAcked: db.prepare(
      `DELETE FROM envelopes WHERE device = ? AND seq = ?
       RETURNING kind, message_id, from_username, from_device`,
    ),
  };

  const storePreKeys = (device: string, upload: PreKeyUpload): number => {
    const spk = upload.signedPreKey;
    if (spk) q.upsertSignedPreKey.run(device, spk.id, spk.publicKey, spk.signature);
    for (const opk of upload.oneTimePreKeys) q.insertOneTimePreKey.run(device, opk.id, opk.publicKey);
    const count = q.preKeyCount.get(device) as number;
    if (count > MAX_ONE_TIME_PREKEYS) throw new RangeError(`a device keeps at most ${MAX_ONE_TIME_PREKEYS} one-time prekeys`);
    return count;
  };
  const storePreKeysTx = db.transaction(storePreKeys);

  const insertDevice = (username: string, device: NewDevice, now: number): void => {
    q.insertDevice.run(device.identityKey, username, device.certificate, now);
    storePreKeys(device.identityKey, device.preKeys);
  };

  const registerTx = db.transaction((username: string, accountKey: string, device: NewDevice, now: number): RegisterResult => {
    if (q.deviceByKey.get(device.identityKey)) return { ok: false, reason: 'device_exists' };
    if (q.accountExists.get(username)) return { ok: false, reason: 'username_taken' };
    q.insertAccount.run(username, accountKey, now);
    insertDevice(username, device, now);
    return { ok: true };
  });

  const takeBundlesTx = db.transaction((username: string, devices: string[]) => {
    const own = new Set((q.certifiedDevices.all(username) as { key: string }[]).map((d) => d.key));
    const bundles: Bundle[] = [];
    const remaining: Record<string, number> = {};
    for (const device of new Set(devices)) {
      if (!own.has(device)) continue;
      const spk = q.signedPreKey.get(device) as { id: number; public_key: string; signature: string } | undefined;
      if (!spk) continue;
      const opk = q.takeOneTimePreKey.get({ device }) as { id: number; public_key: string } | undefined;
      bundles.push({
        device,
        signedPreKey: { id: spk.id, publicKey: spk.public_key, signature: spk.signature },
        oneTimePreKey: opk ? { id: opk.id, publicKey: opk.public_key } : null,
      });
      remaining[device] = q.preKeyCount.get(device) as number;
    }
    return { bundles, remaining };
  });

  const forgetDevice = (device: string): void => {
    q.deleteQueue.run(device);
    q.deleteExpiredCount.run(device);
  };

  const removeDeviceTx = db.transaction((username: string, device: string): boolean => {
    if (q.deleteDevice.run(device, username).changes === 0) return false;
    forgetDevice(device);
    return true;
  });

  const resetAccountTx = db.transaction((username: string): boolean => {
    if (!q.accountExists.get(username)) return false;
    for (const { key } of q.certifiedDevices.all(username) as { key: string }[]) {
      q.deleteDevice.run(key, username);
      forgetDevice(key);
    }
    q.deleteContacts.run({ username });
    q.deleteLastSeen.run(username);
    q.deleteHidden.run(username);
    q.deleteAccount.run(username);
    return true;
  });

  const storeTx = db.transaction((m: NewMessage): StoreMessageResult => {
    const earlier = q.sentLookup.get(m.fromDevice, m.messageId) as number | undefined;
    if (earlier !== undefined) return { stored: false, duplicate: true, serverTime: earlier };
    q.insertSent.run(m.fromDevice, m.messageId, m.serverTime);
    for (const copy of m.copies) {
      q.insertEnvelope.run({
        device: copy.device,
        kind: 'message',
        messageId: m.messageId,
        fromUsername: m.fromUsername,
        fromDevice: m.fromDevice,
        serverTime: m.serverTime,
        sealed: copy.sealed,
      });
    }
    return { stored: true, serverTime: m.serverTime, devices: m.copies.map((c) => c.device) };
  });

  const ackTx = db.transaction((device: string, seqs: number[], now: number) => {
    const owner = (q.deviceByKey.get(device) as { username: string } | undefined)?.username;
    let removed = 0;
    const notify = new Set<string>();
    for (const seq of seqs) {
      const row = q.deleteAcked.get(device, seq) as
        | { kind: string; message_id: string; from_username: string; from_device: string }
        | undefined;
      if (!row) continue;
      removed += 1;
      if (row.kind !== 'message' || row.from_username === owner || owner === undefined) continue;
      if (q.isHidden.get(owner) !== undefined) continue;
      for (const target of q.devicesOf.all(row.from_username) as string[]) {
        q.insertEnvelope.run({
          device: target,
          kind: 'delivered',
          messageId: row.message_id,
          fromUsername: owner,
          fromDevice: device,
          serverTime: now,
          sealed: null,
        });
        notify.add(target);
      }
    }
    return { removed, notify: [...notify] };
  });

  const addDeviceTx = db.transaction((username: string, device: NewDevice, now: number): RegisterResult => {
    if (q.deviceByKey.get(device.identityKey)) return { ok: false, reason: 'device_exists' };
    insertDevice(username, device, now);
    return { ok: true };
  });

  const addContactsTx = db.transaction((writer: string, readers: string[]) => {
    for (const reader of readers) if (reader !== writer) q.addContact.run(writer, reader);
  });

  const expireTx = db.transaction((before: number, device: string | null): number => {
    const counts = q.expiredByDevice.all({ before, device }) as { device: string; n: number }[];
    for (const { device: d, n } of counts) q.addExpired.run(d, n);
    q.deleteExpired.run({ before, device });
    return counts.reduce((sum, c) => sum + c.n, 0);
  });

  // Group commit: the writes that arrive within one turn of the event loop share one transaction,
  // so one fsync. Each write is its own savepoint (the *Tx functions nest), so one failing write
  // does not undo the others.
  const pendingWrites: { run: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  let flushScheduled = false;
  const flushWrites = () => {
    flushScheduled = false;
    const writes = pendingWrites.splice(0);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const write of writes) {
          try {
            outcomes.push({ ok: true, value: write.run() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const write of writes) write.reject(error);
      return;
    }
    writes.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  };
  const groupWrite = <T>(run: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      pendingWrites.push({ run, resolve: resolve as (v: unknown) => void, reject });
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushWrites);
      }
    });

  return {
    async registerAccount(username, accountKey, device, now) {
      return registerTx(username, accountKey, device, now);
    },
    async account(username) {
      const accountKey = q.accountKey.get(username) as string | undefined;
      if (accountKey === undefined) return undefined;
      return { accountKey, devices: q.certifiedDevices.all(username) as { key: string; certificate: string }[] };
    },
    storePreKeys(device, upload) {
      return groupWrite(() => storePreKeysTx(device, upload));
    },
    async preKeyCount(device) {
      return q.preKeyCount.get(device) as number;
    },
    takeBundles(username, devices) {
      // A first message to a big group asks for many bundles at once: one fsync for all of them.
      return groupWrite(() => takeBundlesTx(username, devices));
    },
    async removeDevice(username, device) {
      return removeDeviceTx(username, device);
    },
    async resetAccount(username) {
      return resetAccountTx(username);
    },
    async deviceByKey(identityKey) {
      const row = q.deviceByKey.get(identityKey) as
        | { identity_key: string; username: string; created_at: number }
        | undefined;
      return row ? ({ identityKey: row.identity_key, username: row.username, createdAt: row.created_at } satisfies Device) : undefined;
    },
    async devicesOf(username) {
      return q.devicesOf.all(username) as string[];
    },
    storeMessage(message) {
      return groupWrite(() => storeTx(message));
    },
    async pending(device, afterSeq, limit) {
      const rows = q.pending.all(device, afterSeq, limit) as EnvelopeRow[];
      return rows.map((r): StoredEnvelope => {
        const common = {
          seq: r.seq,
          messageId: r.message_id,
          fromUsername: r.from_username,
          fromDevice: r.from_device,
          serverTime: r.server_time,
        };
        return r.kind === 'message'
          ? { ...common, kind: 'message', sealed: r.sealed ?? '' }
          : { ...common, kind: 'delivered' };
      });
    },
    ack(device, seqs, now) {
      return groupWrite(() => ackTx(device, seqs, now));
    },
    async expire(before, device) {
      return expireTx(before, device ?? null);
    },
    async takeExpired(device) {
      return (q.takeExpired.get(device) as number | undefined) ?? 0;
    },
    async addDevice(username, device, now) {
      return addDeviceTx(username, device, now);
    },
    async addContacts(writer, readers) {
      addContactsTx(writer, readers);
    },
    async audienceOf(username) {
      return q.audienceOf.all(username) as string[];
    },
    async writersTo(username) {
      return q.writersTo.all(username) as string[];
    },
    async setHidden(username, hidden) {
      (hidden ? q.hide : q.unhide).run(username);
    },
    async isHidden(username) {
      return q.isHidden.get(username) !== undefined;
    },
    async setLastSeen(username, at) {
      q.setLastSeen.run(username, at);
    },
    async lastSeen(username) {
      return (q.lastSeen.get(username) as number | null | undefined) ?? null;
    },
    storePush(message) {
      return groupWrite(() => {
        q.insertPush.run(message.id, message.topic, message.time, message.expires, JSON.stringify(message));
      });
    },
    async pushes(topics, since, nowS, limit) {
      const params = { topics: JSON.stringify(topics), now: nowS, limit, after: 0, from: 0 };
      let query: Database.Statement;
      if ('latest' in since) {
        query = q.latestPush;
      } else if ('afterId' in since) {
        // An id this relay no longer has (expired, or never seen): everything it still has.
        params.after = (q.pushSeq.get(since.afterId) as number | undefined) ?? 0;
        query = q.pushesAfter;
      } else {
        params.from = since.fromTime;
        query = q.pushesFrom;
      }
      return (query.pluck().all(params) as string[]).map((json) => PushMessage.parse(JSON.parse(json)));
    },
    async scheduledPushes(nowS) {
      return (q.scheduledPushes.all(nowS) as string[]).map((json) => PushMessage.parse(JSON.parse(json)));
    },
    async expirePushes(nowS) {
      return q.expirePushes.run(nowS).changes;
    },
    async relayIdentity(create) {
      return db.transaction(() => {
        const row = db.prepare('SELECT public_key, secret_key FROM relay_identity WHERE id = 1').get() as
          | { public_key: string; secret_key: string }
          | undefined;
        if (row) return { publicKey: row.public_key, secretKey: row.secret_key };
        const made = create();
        db.prepare('INSERT INTO relay_identity (id, public_key, secret_key) VALUES (1, ?, ?)').run(made.publicKey, made.secretKey);
        return made;
      })();
    },
    async pushUser(name) {
      const row = q.pushUser.get(name) as { name: string; role: 'admin' | 'user'; password_hash: string } | undefined;
      return row && { name: row.name, role: row.role, passwordHash: row.password_hash };
    },
    async pushUserByToken(hash, nowS) {
      return q.pushUserByToken.get(hash, nowS) as { name: string; role: 'admin' | 'user' } | undefined;
    },
    async pushRules(name) {
      return q.pushRules.all(name) as { topic: string; permission: 'read-write' | 'read-only' | 'write-only' | 'deny' }[];
    },
    async savePushUser(name, passwordHash, role) {
      q.savePushUser.run(name, passwordHash, role);
    },
    async removePushUser(name) {
      return db.transaction(() => {
        q.removePushRules.run(name);
        return q.removePushUser.run(name).changes > 0;
      })();
    },
    async addPushToken(name, hash, label, expiresS) {
      q.addPushToken.run(hash, name, label, expiresS);
    },
    async setPushRule(name, topic, permission) {
      q.setPushRule.run(name, topic, permission);
    },
    async pruneSent(before) {
      return q.pruneSent.run(before).changes;
    },
    async close() {
      if (pendingWrites.length > 0) flushWrites();
      db.close();
    },
  };
}
