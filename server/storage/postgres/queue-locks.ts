// The per-device lock every change to a queue takes first: the device's queue_totals row.
//
// Why: an envelope's seq is drawn when it is inserted, but becomes visible when its transaction
// commits. Were two nodes to insert for one device at once, seq 11 could commit before seq 10, and
// a reader that had seen 11 would ask for what comes after 11 and never see 10. Holding the
// device's row from before the insert until the commit makes the device's inserts take turns, so
// its seqs commit in order. The same row holds the totals a send checks against the limits, so
// reading and changing them is safe too.
//
// Rows are locked in one order (device, COLLATE "C") in one statement: two transactions that lock
// overlapping devices wait for each other instead of deadlocking. The database's send and ack
// functions lock the same way (warbler_lock_queues, migrations/003-queue-functions.ts).
import { z } from 'zod';
import { int8, rows, type Queryable } from './rows.js';

export interface QueueTotal {
  messages: number;
  bytes: number;
}

const TotalRow = z.object({ device: z.string(), messages: z.number().int(), bytes: int8 });

/** Locks the queues of these devices until the transaction ends (making rows that are missing); returns their totals. */
export async function lockQueues(client: Queryable, devices: Iterable<string>): Promise<Map<string, QueueTotal>> {
  const unique = [...new Set(devices)];
  if (unique.length === 0) return new Map();
  // DO UPDATE (a no-op) rather than DO NOTHING: it locks a row that is there, as FOR UPDATE would,
  // in the same pass, in the same order, as it makes the missing ones.
  const locked = await rows(client, TotalRow, {
    name: 'queue-lock',
    text: `INSERT INTO queue_totals (device, messages, bytes) SELECT device, 0, 0 FROM unnest($1::text[]) AS device ORDER BY device COLLATE "C"
           ON CONFLICT (device) DO UPDATE SET messages = queue_totals.messages
           RETURNING device, messages, bytes`,
    values: [unique],
  });
  return new Map(locked.map((r) => [r.device, { messages: r.messages, bytes: r.bytes }]));
}
