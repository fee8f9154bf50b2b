// Per-device queues in SQLite: envelopes until acked, their totals (kept by triggers), the counts of
// what expired or was refused, and the send ids that make a retried send idempotent. An ack also
// queues delivery receipts, reading devices and hiding in its own transaction. Every write is in
// relay.sqlite at once, so that several nodes sharing the file (with --redis) see each other's; a
// relay that has its folder to itself keeps new envelopes in a journal first (JournaledQueueStore),
// and uses this store for what has moved to SQLite.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { NewMessage, QueueLimits, QueueStore, Queued, StoreMessageResult, StoredEnvelope } from '../queue-store.js';
import type { SqliteDeviceRows } from './device-rows.js';
import type { GroupCommit } from './group-commit.js';
import type { SqlitePresenceStore } from './presence-store.js';

interface EnvelopeRow {
  seq: number;
  kind: 'message' | 'delivered';
  message_id: string;
  from_username: string;
  from_device: string;
  server_time: number;
  sealed: string | null;
}

type AckResult = { removed: number; queued: Queued[] };

/** What unlinking or resetting needs of a queue store, inside its own transaction. */
export interface QueueRows {
  forgetDeviceSync(device: string): void;
}

export interface QueueRelations {
  devices: SqliteDeviceRows;
  presence: SqlitePresenceStore;
}

/** The queue store's statements (exported for the test that checks how each finds its rows). */
export function queueStatements(db: Database.Database) {
  return {
    sentLookup: db.prepare('SELECT server_time FROM sent WHERE from_device = ? AND message_id = ?').pluck(),
    insertSent: db.prepare('INSERT INTO sent (from_device, message_id, server_time) VALUES (?, ?, ?)'),
    pruneSent: db.prepare('DELETE FROM sent WHERE server_time < ?'),
    insertEnvelope: db.prepare(
      `INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
       VALUES (@device, @kind, @messageId, @fromUsername, @fromDevice, @serverTime, @sealed)`,
    ),
    pending: db.prepare(
      `SELECT seq, kind, message_id, from_username, from_device, server_time, sealed
       FROM envelopes WHERE device = ? AND seq > ? ORDER BY seq LIMIT ?`,
    ),
    deleteAcked: db.prepare(
      `DELETE FROM envelopes WHERE device = ? AND seq = ?
       RETURNING kind, message_id, from_username, from_device`,
    ),
    deleteQueue: db.prepare('DELETE FROM envelopes WHERE device = ?'),
    // One device's (at its login) and everyone's (the hourly job) apart: with "@device IS NULL OR
    // device = @device" SQLite scanned the whole queue table at every login.
    expiredOfDevice: db.prepare(`SELECT count(*) FROM envelopes WHERE device = ? AND server_time < ? AND kind = 'message'`).pluck(),
    deleteExpiredOfDevice: db.prepare('DELETE FROM envelopes WHERE device = ? AND server_time < ?'),
    // By age, or the planner walks every device's queue to save a sort of the few expired rows.
    expiredByDevice: db.prepare(
      `SELECT device, count(*) AS n FROM envelopes INDEXED BY envelopes_by_age WHERE server_time < ? AND kind = 'message' GROUP BY device`,
    ),
    deleteExpired: db.prepare('DELETE FROM envelopes WHERE server_time < ?'),
    addExpired: db.prepare(
      'INSERT INTO expired (device, count) VALUES (?, ?) ON CONFLICT(device) DO UPDATE SET count = count + excluded.count',
    ),
    takeExpired: db.prepare('DELETE FROM expired WHERE device = ? RETURNING count').pluck(),
    deleteExpiredCount: db.prepare('DELETE FROM expired WHERE device = ?'),
    queueTotal: db.prepare('SELECT messages, bytes FROM queue_totals WHERE device = ?'),
    deleteQueueTotal: db.prepare('DELETE FROM queue_totals WHERE device = ?'),
    addRefused: db.prepare('INSERT INTO refused (device, count) VALUES (?, 1) ON CONFLICT(device) DO UPDATE SET count = count + 1'),
    takeRefused: db.prepare('DELETE FROM refused WHERE device = ? RETURNING count').pluck(),
    deleteRefusedCount: db.prepare('DELETE FROM refused WHERE device = ?'),
  };
}

export class SqliteQueueStore implements QueueStore {
  private readonly q: ReturnType<typeof queueStatements>;
  private readonly storeTx: (message: NewMessage, limits: QueueLimits) => StoreMessageResult;
  private readonly ackTx: (device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number>) => AckResult;
  private readonly expireTx: (before: number, device: string | null) => number;
  private readonly takeMissedTx: (device: string, expireBefore: number) => { expired: number; refused: number };

  /** Its prepared statements, for a store that keeps some envelopes elsewhere and the rest here. */
  get statements(): ReturnType<typeof queueStatements> {
    return this.q;
  }

  constructor(
    db: Database.Database,
    private readonly writes: GroupCommit,
    private readonly related: QueueRelations,
  ) {
    const q = queueStatements(db);
    this.q = q;
    this.storeTx = db.transaction((m: NewMessage, limits: QueueLimits): StoreMessageResult => {
      const earlier = q.sentLookup.get(m.fromDevice, m.messageId) as number | undefined;
      if (earlier !== undefined) return { stored: false, duplicate: true, serverTime: earlier };
      const fits = (copy: NewMessage['copies'][number]): boolean => {
        const total = q.queueTotal.get(copy.device) as { messages: number; bytes: number } | undefined;
        return (total?.messages ?? 0) + 1 <= limits.messages && (total?.bytes ?? 0) + copy.sealed.length <= limits.bytes;
      };
      const room = new Set(m.copies.filter(fits));
      const reached = new Set([...room].map((c) => c.owner));
      // Each device is told what did not fit in its queue, whether or not the rest was stored.
      for (const copy of m.copies) if (!room.has(copy)) q.addRefused.run(copy.device);
      const full = [...new Set(m.copies.map((c) => c.owner))].filter((owner) => owner !== m.fromUsername && !reached.has(owner));
      if (full.length > 0) return { stored: false, duplicate: false, full };
      q.insertSent.run(m.fromDevice, m.messageId, m.serverTime);
      const queued: Queued[] = [];
      for (const copy of room) {
        const fields = { kind: 'message', messageId: m.messageId, fromUsername: m.fromUsername, fromDevice: m.fromDevice, serverTime: m.serverTime, sealed: copy.sealed } as const;
        const seq = Number(q.insertEnvelope.run({ device: copy.device, ...fields }).lastInsertRowid);
        queued.push({ device: copy.device, envelope: { seq, ...fields } });
      }
      return { stored: true, serverTime: m.serverTime, queued };
    });
    this.ackTx = db.transaction((device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number>) => this.ackSync(device, seqs, now, noReceipt));
    this.expireTx = db.transaction((before: number, device: string | null): number => {
      if (device !== null) {
        const n = q.expiredOfDevice.get(device, before) as number;
        if (n > 0) q.addExpired.run(device, n);
        q.deleteExpiredOfDevice.run(device, before);
        return n;
      }
      const counts = q.expiredByDevice.all(before) as { device: string; n: number }[];
      for (const { device: d, n } of counts) q.addExpired.run(d, n);
      q.deleteExpired.run(before);
      return counts.reduce((sum, c) => sum + c.n, 0);
    });
    this.takeMissedTx = db.transaction((device: string, expireBefore: number) => {
      this.expireTx(expireBefore, device);
      return {
        expired: (q.takeExpired.get(device) as number | undefined) ?? 0,
        refused: (q.takeRefused.get(device) as number | undefined) ?? 0,
      };
    });
  }

  private ackSync(device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number>): AckResult {
    const { devices, presence } = this.related;
    const owner = devices.byKey(device)?.username;
    let removed = 0;
    const queued: Queued[] = [];
    for (const seq of seqs) {
      const row = this.q.deleteAcked.get(device, seq) as
        | { kind: string; message_id: string; from_username: string; from_device: string }
        | undefined;
      if (!row) continue;
      removed += 1;
      if (row.kind !== 'message' || row.from_username === owner || owner === undefined) continue;
      if (noReceipt.has(seq) || presence.isHiddenSync(owner)) continue;
      for (const target of devices.keysOf(row.from_username)) {
        const fields = { kind: 'delivered', messageId: row.message_id, fromUsername: owner, fromDevice: device, serverTime: now } as const;
        const seq = Number(this.q.insertEnvelope.run({ device: target, ...fields, sealed: null }).lastInsertRowid);
        queued.push({ device: target, envelope: { seq, ...fields } });
      }
    }
    return { removed, queued };
  }

  /** Inside the caller's transaction (a device unlinked or reset): its queue and its counts go. */
  forgetDeviceSync(device: string): void {
    this.q.deleteQueue.run(device);
    this.q.deleteQueueTotal.run(device);
    this.q.deleteExpiredCount.run(device);
    this.q.deleteRefusedCount.run(device);
  }

  storeMessage(message: NewMessage, limits: QueueLimits): Promise<StoreMessageResult> {
    return this.writes.write(() => this.storeTx(message, limits));
  }

  async pending(device: string, afterSeq: number, limit: number): Promise<StoredEnvelope[]> {
    const rows = this.q.pending.all(device, afterSeq, limit) as EnvelopeRow[];
    return rows.map((r): StoredEnvelope => {
      const common = {
        seq: r.seq,
        messageId: r.message_id,
        fromUsername: r.from_username,
        fromDevice: r.from_device,
        serverTime: r.server_time,
      };
      return r.kind === 'message' ? { ...common, kind: 'message', sealed: r.sealed ?? '' } : { ...common, kind: 'delivered' };
    });
  }

  ack(device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number> = new Set()): Promise<AckResult> {
    return this.writes.write(() => this.ackTx(device, seqs, now, noReceipt));
  }

  async expire(before: number, device?: string): Promise<number> {
    return this.expireTx(before, device ?? null);
  }

  /** In the group commit: many devices logging in at once cost one commit, not three each. */
  takeMissed(device: string, expireBefore: number): Promise<{ expired: number; refused: number }> {
    return this.writes.write(() => this.takeMissedTx(device, expireBefore));
  }

  async pruneSent(before: number): Promise<number> {
    return this.q.pruneSent.run(before).changes;
  }
}
