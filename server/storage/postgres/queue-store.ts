// Per-device queues in PostgreSQL, written by every node at once: envelopes until acked, their
// totals, the counts of what expired or was refused, and the send ids that make a retried send
// idempotent. Every change to a device's queue holds that device's lock (queue-locks.ts) until it
// commits, so a reader never skips an envelope; each operation is one transaction, committed
// before it resolves. The hot calls go in batches (call-batches.ts): the sends of a moment are one
// call to a function of the database's, so are the acks (migrations/005-batched-queue-functions.ts),
// and the queue pages that wake-ups read are one statement.
import { z } from 'zod';
import type {
  NewMessage,
  QueueLimits,
  QueueStore,
  Queued,
  StoreMessageResult,
  StoredEnvelope,
} from '../queue-store.js';
import { CallBatches } from './call-batches.js';
import type { PgDatabase } from './database.js';
import { lockQueues } from './queue-locks.js';
import { firstRow, int8, refused, rows, type Queryable } from './rows.js';

type AckResult = { removed: number; queued: Queued[] };
type Send = { message: NewMessage; limits: QueueLimits };
type Read = { device: string; afterSeq: number; limit: number };
type Ack = { device: string; seqs: number[]; now: number; noReceipt: number[] };

/**
 * Batches out at once per kind (sends, acks, reads): with the contact checks' one, seven of the
 * pool's ten connections at most, the rest left to logins and account changes.
 */
const BATCHES = { running: 2, size: 200 };
/** A page may hold 500 envelopes of up to 2 MB each: fewer pages are read at once. */
const READS = { running: 2, size: 50 };

const EnvelopeRow = z.object({
  read: z.number().int(),
  seq: int8,
  kind: z.enum(['message', 'delivered']),
  message_id: z.string(),
  from_username: z.string(),
  from_device: z.string(),
  server_time: int8,
  sealed: z.string().nullable(),
});
const StoreRow = z.object({
  message: z.number().int(),
  duplicate_time: int8.nullable(),
  full_owners: z.array(z.string()).nullable(),
  fits: z.array(z.boolean()).nullable(),
  seqs: z.array(int8).nullable(),
});
const AckRow = z.object({
  ack: z.number().int(),
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
  // A send's frame may be 2 MB: a batch holds 4 MB of sealed copies at most (or one send).
  private readonly sends = new CallBatches<Send, StoreMessageResult>(
    (sends) => this.storeMessages(sends),
    { ...BATCHES, weight: 4 << 20 },
    refused,
    (send) => send.message.copies.reduce((sum, c) => sum + c.sealed.length, 0),
  );
  private readonly acks = new CallBatches<Ack, AckResult>((acks) => this.ackMany(acks), BATCHES, refused);
  private readonly reads = new CallBatches<Read, StoredEnvelope[]>((reads) => this.readMany(reads), READS, refused);

  constructor(private readonly db: PgDatabase) {}

  storeMessage(message: NewMessage, limits: QueueLimits): Promise<StoreMessageResult> {
    return this.sends.call({ message, limits });
  }

  private async storeMessages(sends: readonly Send[]): Promise<StoreMessageResult[]> {
    const copies = sends.flatMap((s) => s.message.copies);
    const firsts = firstIndexes(sends.map((s) => s.message.copies.length));
    const found = await rows(this.db.pool, StoreRow, {
      name: 'queue-store-messages',
      text: `SELECT message, duplicate_time, full_owners, fits, seqs
             FROM warbler_store_messages($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      values: [
        sends.map((s) => s.message.fromDevice),
        sends.map((s) => s.message.messageId),
        sends.map((s) => s.message.fromUsername),
        sends.map((s) => s.message.serverTime),
        sends.map((s) => s.limits.messages),
        sends.map((s) => s.limits.bytes),
        firsts,
        sends.map((s) => s.message.copies.length),
        copies.map((c) => c.device),
        copies.map((c) => c.owner),
        copies.map((c) => c.sealed),
      ],
    });
    return inOrder(found, sends.length, 'warbler_store_messages').map((row, i) => storeResult(sends[i]!.message, row));
  }

  pending(device: string, afterSeq: number, limit: number): Promise<StoredEnvelope[]> {
    return this.reads.call({ device, afterSeq, limit });
  }

  /** The pages of several devices' queues, in one statement (one snapshot). */
  private async readMany(reads: readonly Read[]): Promise<StoredEnvelope[][]> {
    const found = await rows(this.db.pool, EnvelopeRow, {
      name: 'queue-pending-many',
      text: `SELECT w.ord::integer AS read, e.seq, e.kind, e.message_id, e.from_username, e.from_device, e.server_time, e.sealed
             FROM unnest($1::text[], $2::bigint[], $3::integer[]) WITH ORDINALITY AS w(device, after_seq, page, ord)
             CROSS JOIN LATERAL (
               SELECT * FROM envelopes AS q WHERE q.device = w.device AND q.seq > w.after_seq ORDER BY q.seq LIMIT w.page
             ) AS e
             ORDER BY w.ord, e.seq`,
      values: [reads.map((r) => r.device), reads.map((r) => r.afterSeq), reads.map((r) => r.limit)],
    });
    const pages = reads.map((): StoredEnvelope[] => []);
    for (const r of found) {
      const page = pages[r.read - 1];
      if (!page) throw new Error(`queue-pending-many answered for read ${r.read} of ${reads.length}`);
      const common = { seq: r.seq, messageId: r.message_id, fromUsername: r.from_username, fromDevice: r.from_device, serverTime: r.server_time };
      page.push(r.kind === 'message' ? { ...common, kind: 'message', sealed: r.sealed ?? '' } : { ...common, kind: 'delivered' });
    }
    return pages;
  }

  ack(device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number> = new Set()): Promise<AckResult> {
    return this.acks.call({ device, seqs, now, noReceipt: [...noReceipt] });
  }

  private async ackMany(acks: readonly Ack[]): Promise<AckResult[]> {
    const found = await rows(this.db.pool, AckRow, {
      name: 'queue-ack-many',
      text: `SELECT ack, removed, receipt_from, receipt_devices, receipt_message_ids, receipt_seqs
             FROM warbler_ack_many($1, $2, $3, $4, $5, $6, $7, $8)`,
      values: [
        acks.map((a) => a.device),
        acks.map((a) => a.now),
        firstIndexes(acks.map((a) => a.seqs.length)),
        acks.map((a) => a.seqs.length),
        acks.flatMap((a) => a.seqs),
        firstIndexes(acks.map((a) => a.noReceipt.length)),
        acks.map((a) => a.noReceipt.length),
        acks.flatMap((a) => a.noReceipt),
      ],
    });
    return inOrder(found, acks.length, 'warbler_ack_many').map((row, i) => ackResult(acks[i]!, row));
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

/** Where each call's part of a flat array starts (PostgreSQL counts from 1). */
function firstIndexes(lengths: readonly number[]): number[] {
  let next = 1;
  return lengths.map((length) => {
    const first = next;
    next += length;
    return first;
  });
}

/** The rows of a batch function, one per call, checked to be in the order of the calls. */
function inOrder<R extends { message: number } | { ack: number }>(found: R[], count: number, what: string): R[] {
  const numbered = found.every((row, i) => ('message' in row ? row.message : row.ack) === i + 1);
  if (found.length !== count || !numbered) throw new Error(`${what} answered ${found.length} rows, not one per call in order, for ${count} calls`);
  return found;
}

function storeResult(m: NewMessage, row: z.output<typeof StoreRow>): StoreMessageResult {
  if (row.duplicate_time !== null) return { stored: false, duplicate: true, serverTime: row.duplicate_time };
  if (row.full_owners !== null) return { stored: false, duplicate: false, full: row.full_owners };
  const common = { kind: 'message', messageId: m.messageId, fromUsername: m.fromUsername, fromDevice: m.fromDevice, serverTime: m.serverTime } as const;
  const seqs = row.seqs ?? [];
  const fits = row.fits ?? [];
  const room = m.copies.filter((_, i) => fits[i] === true);
  if (seqs.length !== room.length) throw new Error(`stored ${seqs.length} envelopes of ${room.length}`);
  // The rows took their seqs in the order they were inserted, which is the order given.
  return { stored: true, serverTime: m.serverTime, queued: room.map((copy, i): Queued => ({ device: copy.device, envelope: { ...common, sealed: copy.sealed, seq: seqs[i]! } })) };
}

function ackResult(a: Ack, row: z.output<typeof AckRow>): AckResult {
  if (row.receipt_seqs.length !== row.receipt_devices.length) throw new Error(`queued ${row.receipt_seqs.length} receipts of ${row.receipt_devices.length}`);
  const queued = row.receipt_devices.map(
    (target, i): Queued => ({
      device: target,
      envelope: { kind: 'delivered', messageId: row.receipt_message_ids[i]!, fromUsername: row.receipt_from!, fromDevice: a.device, serverTime: a.now, seq: row.receipt_seqs[i]! },
    }),
  );
  return { removed: row.removed, queued };
}
