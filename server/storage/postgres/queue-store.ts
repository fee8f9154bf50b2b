// Per-device queues in PostgreSQL, written by every node at once: envelopes until acked, their
// totals, the counts of what expired or was refused, and the send ids that make a retried send
// idempotent. Every change to a device's queue holds that device's lock (queue-locks.ts) until it
// commits, so a reader never skips an envelope; each operation is one transaction, committed
// before it resolves. A send and an ack, the hot ones, are each one call to a function of the
// database's (migrations/003-queue-functions.ts).
import { z } from 'zod';
import type {
  NewMessage,
  QueueLimits,
  QueueStore,
  Queued,
  StoreMessageResult,
  StoredEnvelope,
} from '../queue-store.js';
import type { PgDatabase } from './database.js';
import { lockQueues } from './queue-locks.js';
import { firstRow, int8, rows, type Queryable } from './rows.js';

type AckResult = { removed: number; queued: Queued[] };

const EnvelopeRow = z.object({
  seq: int8,
  kind: z.enum(['message', 'delivered']),
  message_id: z.string(),
  from_username: z.string(),
  from_device: z.string(),
  server_time: int8,
  sealed: z.string().nullable(),
});
const StoreRow = z.object({
  duplicate_time: int8.nullable(),
  full_owners: z.array(z.string()).nullable(),
  fits: z.array(z.boolean()).nullable(),
  seqs: z.array(int8).nullable(),
});
const AckRow = z.object({
  removed: z.number().int(),
  receipt_from: z.string().nullable(),
  receipt_devices: z.array(z.string()),
  receipt_message_ids: z.array(z.string()),
  receipt_seqs: z.array(int8),
});
const Count = z.object({ count: z.number().int() });
const Expired = z.object({ n: int8 });
const Device = z.object({ device: z.string() });

export class PgQueueStore implements QueueStore {
  constructor(
    private readonly db: PgDatabase,
  ) {}

  async storeMessage(m: NewMessage, limits: QueueLimits): Promise<StoreMessageResult> {
    const row = await firstRow(this.db.pool, StoreRow, {
      name: 'queue-store-message',
      text: 'SELECT duplicate_time, full_owners, fits, seqs FROM warbler_store_message($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      values: [
        m.fromDevice,
        m.messageId,
        m.fromUsername,
        m.serverTime,
        m.copies.map((c) => c.device),
        m.copies.map((c) => c.owner),
        m.copies.map((c) => c.sealed),
        limits.messages,
        limits.bytes,
      ],
    });
    if (!row) throw new Error('warbler_store_message answered nothing');
    if (row.duplicate_time !== null) return { stored: false, duplicate: true, serverTime: row.duplicate_time };
    if (row.full_owners !== null) return { stored: false, duplicate: false, full: row.full_owners };
    const common = { kind: 'message', messageId: m.messageId, fromUsername: m.fromUsername, fromDevice: m.fromDevice, serverTime: m.serverTime } as const;
    const room = m.copies.filter((_, i) => row.fits?.[i] === true);
    const seqs = row.seqs ?? [];
    if (seqs.length !== room.length) throw new Error(`stored ${seqs.length} envelopes of ${room.length}`);
    // The rows took their seqs in the order they were inserted, which is the order given.
    const queued = room.map((copy, i): Queued => ({ device: copy.device, envelope: { ...common, sealed: copy.sealed, seq: seqs[i]! } }));
    return { stored: true, serverTime: m.serverTime, queued };
  }

  async pending(device: string, afterSeq: number, limit: number): Promise<StoredEnvelope[]> {
    const found = await rows(this.db.pool, EnvelopeRow, {
      name: 'queue-pending',
      text: `SELECT seq, kind, message_id, from_username, from_device, server_time, sealed
             FROM envelopes WHERE device = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      values: [device, afterSeq, limit],
    });
    return found.map((r): StoredEnvelope => {
      const common = { seq: r.seq, messageId: r.message_id, fromUsername: r.from_username, fromDevice: r.from_device, serverTime: r.server_time };
      return r.kind === 'message' ? { ...common, kind: 'message', sealed: r.sealed ?? '' } : { ...common, kind: 'delivered' };
    });
  }

  async ack(device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number> = new Set()): Promise<AckResult> {
    const row = await firstRow(this.db.pool, AckRow, {
      name: 'queue-ack',
      text: 'SELECT removed, receipt_devices, receipt_message_ids, receipt_from, receipt_seqs FROM warbler_ack($1, $2, $3, $4)',
      values: [device, seqs, now, [...noReceipt]],
    });
    if (!row) throw new Error('warbler_ack answered nothing');
    if (row.receipt_seqs.length !== row.receipt_devices.length) throw new Error(`queued ${row.receipt_seqs.length} receipts of ${row.receipt_devices.length}`);
    const queued = row.receipt_devices.map(
      (target, i): Queued => ({
        device: target,
        envelope: { kind: 'delivered', messageId: row.receipt_message_ids[i]!, fromUsername: row.receipt_from!, fromDevice: device, serverTime: now, seq: row.receipt_seqs[i]! },
      }),
    );
    return { removed: row.removed, queued };
  }

  expire(before: number, device?: string): Promise<number> {
    return this.db.transaction((client) => this.expireIn(client, before, device ?? null));
  }

  /** Deletes envelopes queued before `before` and counts the messages per device; inside the caller's transaction. */
  private async expireIn(client: Queryable, before: number, device: string | null): Promise<number> {
    const holding = await rows(client, Device, {
      text: `SELECT DISTINCT device FROM envelopes
             WHERE server_time < $1 AND kind = 'message' AND ($2::text IS NULL OR device = $2)`,
      values: [before, device],
    });
    const devices = holding.map((r) => r.device);
    await lockQueues(client, devices);
    // Receipts are not counted, so need no lock; messages are deleted only from the queues held.
    const row = await firstRow(client, Expired, {
      text: `WITH gone AS (
               DELETE FROM envelopes WHERE server_time < $1 AND ($2::text IS NULL OR device = $2)
                 AND (kind = 'delivered' OR device = ANY($3::text[]))
               RETURNING device, kind, sealed
             ), counts AS (
               SELECT device, count(*)::int AS n, coalesce(sum(char_length(sealed)), 0)::bigint AS bytes
               FROM gone WHERE kind = 'message' GROUP BY device
             ), totals AS (
               UPDATE queue_totals AS t SET messages = t.messages - c.n, bytes = t.bytes - c.bytes FROM counts c WHERE t.device = c.device
             ), told AS (
               INSERT INTO expired (device, count) SELECT device, n FROM counts
               ON CONFLICT (device) DO UPDATE SET count = expired.count + excluded.count
             )
             SELECT coalesce(sum(n), 0) AS n FROM counts`,
      values: [before, device, devices],
    });
    return row?.n ?? 0;
  }

  takeMissed(device: string, expireBefore: number): Promise<{ expired: number; refused: number }> {
    return this.db.transaction(async (client) => {
      // Held first, as a send holds it before it counts a refusal.
      await lockQueues(client, [device]);
      await this.expireIn(client, expireBefore, device);
      const take = async (table: 'expired' | 'refused') =>
        (await firstRow(client, Count, { text: `DELETE FROM ${table} WHERE device = $1 RETURNING count`, values: [device] }))?.count ?? 0;
      return { expired: await take('expired'), refused: await take('refused') };
    });
  }

  /** Inside the caller's transaction (devices unlinked or reset): their queues and their counts go. */
  async forgetDevicesIn(client: Queryable, devices: string[]): Promise<void> {
    if (devices.length === 0) return;
    await lockQueues(client, devices);
    for (const table of ['envelopes', 'queue_totals', 'expired', 'refused']) {
      await client.query(`DELETE FROM ${table} WHERE device = ANY($1::text[])`, [devices]);
    }
  }

  async pruneSent(before: number): Promise<number> {
    return (await this.db.pool.query('DELETE FROM sent WHERE server_time < $1', [before])).rowCount ?? 0;
  }
}
