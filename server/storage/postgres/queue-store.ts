// Per-device queues in PostgreSQL, written by every node at once: envelopes until acked, their
// totals, the counts of what expired or was refused, and the send ids that make a retried send
// idempotent. Every change to a device's queue holds that device's lock (queue-locks.ts) until it
// commits, so a reader never skips an envelope; each operation is one transaction, committed
// before it resolves.
import { z } from 'zod';
import type {
  NewMessage,
  QueueLimits,
  QueueStore,
  Queued,
  StoreMessageResult,
  StoredEnvelope,
  StoredMessageEnvelope,
  StoredReceiptEnvelope,
} from '../queue-store.js';
import type { PgDatabase } from './database.js';
import { deviceByKey, deviceKeysOfAll } from './device-rows.js';
import type { PgPresenceStore } from './presence-store.js';
import { lockQueues } from './queue-locks.js';
import { firstRow, int8, rows, type Queryable } from './rows.js';

type AckResult = { removed: number; queued: Queued[] };
type Fields = Omit<StoredMessageEnvelope, 'seq'> | Omit<StoredReceiptEnvelope, 'seq'>;

const EnvelopeRow = z.object({
  seq: int8,
  kind: z.enum(['message', 'delivered']),
  message_id: z.string(),
  from_username: z.string(),
  from_device: z.string(),
  server_time: int8,
  sealed: z.string().nullable(),
});
const SeqRow = z.object({ seq: int8 });
const ServerTime = z.object({ server_time: int8 });
const AckPreview = z.object({ seq: int8, kind: z.string(), from_username: z.string() });
const AckedRow = z.object({ seq: int8, kind: z.string(), message_id: z.string(), from_username: z.string() });
const Count = z.object({ count: z.number().int() });
const Expired = z.object({ n: int8 });
const Device = z.object({ device: z.string() });

export class PgQueueStore implements QueueStore {
  constructor(
    private readonly db: PgDatabase,
    private readonly presence: PgPresenceStore,
  ) {}

  storeMessage(m: NewMessage, limits: QueueLimits): Promise<StoreMessageResult> {
    return this.db.transaction(async (client): Promise<StoreMessageResult> => {
      const earlier = await this.claimSendId(client, m);
      if (earlier !== undefined) return { stored: false, duplicate: true, serverTime: earlier };
      const totals = await lockQueues(client, m.copies.map((c) => c.device));
      const fits = (copy: NewMessage['copies'][number]): boolean => {
        const total = totals.get(copy.device)!;
        return total.messages + 1 <= limits.messages && total.bytes + copy.sealed.length <= limits.bytes;
      };
      const room = m.copies.filter(fits);
      const roomy = new Set(room);
      const reached = new Set(room.map((c) => c.owner));
      // Each device is told what did not fit in its queue, whether or not the rest was stored.
      await this.addRefused(client, m.copies.filter((c) => !roomy.has(c)).map((c) => c.device));
      const full = [...new Set(m.copies.map((c) => c.owner))].filter((owner) => owner !== m.fromUsername && !reached.has(owner));
      if (full.length > 0) {
        // Not sent after all: a retry, once there is room, must go through.
        await client.query('DELETE FROM sent WHERE from_device = $1 AND message_id = $2', [m.fromDevice, m.messageId]);
        return { stored: false, duplicate: false, full };
      }
      const common = { kind: 'message', messageId: m.messageId, fromUsername: m.fromUsername, fromDevice: m.fromDevice, serverTime: m.serverTime } as const;
      const queued = await this.insert(client, room.map((copy) => ({ device: copy.device, envelope: { ...common, sealed: copy.sealed } })));
      return { stored: true, serverTime: m.serverTime, queued };
    });
  }

  /**
   * Records the send id; returns the first send's time when it was sent before. A retry arriving on
   * another node while the first is still being stored waits here for it to commit (or fail).
   */
  private async claimSendId(client: Queryable, m: NewMessage): Promise<number | undefined> {
    // Again if the first send's row was pruned between the two statements (it then is no repeat).
    for (let attempt = 0; attempt < 3; attempt++) {
      const claimed = await client.query({
        name: 'queue-claim-send-id',
        text: 'INSERT INTO sent (from_device, message_id, server_time) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        values: [m.fromDevice, m.messageId, m.serverTime],
      });
      if (claimed.rowCount === 1) return undefined;
      const earlier = await firstRow(client, ServerTime, {
        name: 'queue-sent-time',
        text: 'SELECT server_time FROM sent WHERE from_device = $1 AND message_id = $2',
        values: [m.fromDevice, m.messageId],
      });
      if (earlier) return earlier.server_time;
    }
    throw new Error(`the send id ${m.messageId} was neither new nor found`);
  }

  private async addRefused(client: Queryable, devices: string[]): Promise<void> {
    if (devices.length === 0) return;
    await client.query(
      `INSERT INTO refused (device, count) SELECT device, count(*) FROM unnest($1::text[]) AS device GROUP BY device
       ON CONFLICT (device) DO UPDATE SET count = refused.count + excluded.count`,
      [devices],
    );
  }

  /**
   * Inserts envelopes for devices this transaction has locked, in the order given, adding the
   * messages to their totals; returns them with their seqs. Totals count characters on the way in
   * and out alike (char_length), so they come back to zero.
   */
  private async insert(client: Queryable, items: { device: string; envelope: Fields }[]): Promise<Queued[]> {
    if (items.length === 0) return [];
    const column = <T>(pick: (e: Fields) => T) => items.map((i) => pick(i.envelope));
    const inserted = await rows(client, SeqRow, {
      name: 'queue-insert',
      text: `WITH added AS (
               INSERT INTO envelopes (device, kind, message_id, from_username, from_device, server_time, sealed)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[])
               RETURNING seq, device, kind, sealed
             ), counted AS (
               UPDATE queue_totals AS t SET messages = t.messages + c.n, bytes = t.bytes + c.bytes
               FROM (SELECT device, count(*) AS n, sum(char_length(sealed)) AS bytes FROM added WHERE kind = 'message' GROUP BY device) AS c
               WHERE t.device = c.device
             )
             SELECT seq FROM added`,
      values: [
        items.map((i) => i.device),
        column((e) => e.kind),
        column((e) => e.messageId),
        column((e) => e.fromUsername),
        column((e) => e.fromDevice),
        column((e) => e.serverTime),
        column((e) => ('sealed' in e ? e.sealed : null)),
      ],
    });
    // The rows take their seqs in the order they are inserted, which is the order given.
    const seqs = inserted.map((r) => r.seq).sort((a, b) => a - b);
    if (seqs.length !== items.length) throw new Error(`inserted ${seqs.length} envelopes of ${items.length}`);
    return items.map(({ device, envelope }, i) => ({ device, envelope: { ...envelope, seq: seqs[i]! } as StoredEnvelope }));
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

  ack(device: string, seqs: number[], now: number, noReceipt: ReadonlySet<number> = new Set()): Promise<AckResult> {
    return this.db.transaction(async (client) => {
      const owner = (await deviceByKey(client, device))?.username;
      // Who will be sent receipts decides which queues to lock, and all are locked at once, before
      // anything changes: so this looks before it deletes.
      const preview = await rows(client, AckPreview, {
        text: 'SELECT seq, kind, from_username FROM envelopes WHERE device = $1 AND seq = ANY($2::bigint[])',
        values: [device, seqs],
      });
      const earns = (row: { seq: number; kind: string; from_username: string }) =>
        owner !== undefined && row.kind === 'message' && row.from_username !== owner && !noReceipt.has(row.seq);
      const senders = [...new Set(preview.filter(earns).map((r) => r.from_username))];
      const hidden = owner !== undefined && senders.length > 0 && (await this.presence.isHiddenIn(client, owner));
      const before = hidden ? new Map<string, string[]>() : await deviceKeysOfAll(client, senders);
      const locked = await lockQueues(client, [device, ...[...before.values()].flat()]);

      const acked = await rows(client, AckedRow, {
        name: 'queue-delete-acked',
        text: `WITH gone AS (
                 DELETE FROM envelopes WHERE device = $1 AND seq = ANY($2::bigint[])
                 RETURNING seq, kind, message_id, from_username, sealed
               ), counted AS (
                 UPDATE queue_totals AS t SET messages = t.messages - c.n, bytes = t.bytes - c.bytes
                 FROM (SELECT count(*) AS n, coalesce(sum(char_length(sealed)), 0) AS bytes FROM gone WHERE kind = 'message') AS c
                 WHERE t.device = $1
               )
               SELECT seq, kind, message_id, from_username FROM gone`,
        values: [device, seqs],
      });

      // Devices are read again now that the queues are held: one unlinked meanwhile gets nothing,
      // one linked meanwhile (not locked) neither.
      const targets = hidden || senders.length === 0 ? new Map<string, string[]>() : await deviceKeysOfAll(client, senders);
      const bySeq = new Map(acked.map((r) => [r.seq, r]));
      const receipts: { device: string; envelope: Fields }[] = [];
      for (const seq of new Set(seqs)) {
        const row = bySeq.get(seq);
        if (!row || !earns(row) || hidden) continue;
        for (const target of targets.get(row.from_username) ?? []) {
          if (!locked.has(target)) continue;
          receipts.push({ device: target, envelope: { kind: 'delivered', messageId: row.message_id, fromUsername: owner!, fromDevice: device, serverTime: now } });
        }
      }
      return { removed: acked.length, queued: await this.insert(client, receipts) };
    });
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
