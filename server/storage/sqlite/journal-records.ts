// What the queues' journal holds, checked when it is read back: a stored message (its copies and
// its send id), envelopes (receipts), acks, send ids carried into a new epoch, and a device's
// queue forgotten.
import { z } from 'zod';
import type { StoredEnvelope } from '../queue-store.js';
import type { HotEnvelope } from './hot-queues.js';

const seq = z.number().int().positive();

const messageRecord = z.object({
  t: z.literal('m'),
  id: z.string(),
  u: z.string(),
  d: z.string(),
  at: z.number(),
  /** Per copy: seq, device, sealed. */
  c: z.array(z.tuple([seq, z.string(), z.string()])),
});

/** device, seq, kind, messageId, fromUsername, fromDevice, serverTime, sealed (null for a receipt). */
const envelopeTuple = z.tuple([z.string(), seq, z.enum(['message', 'delivered']), z.string(), z.string(), z.string(), z.number(), z.string().nullable()]);

const envelopesRecord = z.object({ t: z.literal('e'), e: z.array(envelopeTuple) });
const ackRecord = z.object({ t: z.literal('a'), d: z.string(), s: z.array(seq) });
/** Send ids carried into a new epoch: fromDevice, messageId, serverTime. */
const sentRecord = z.object({ t: z.literal('s'), s: z.array(z.tuple([z.string(), z.string(), z.number()])) });
/** A device unlinked or reset: its queue is gone. */
const forgetRecord = z.object({ t: z.literal('f'), d: z.string() });

export const journalRecord = z.discriminatedUnion('t', [messageRecord, envelopesRecord, ackRecord, sentRecord, forgetRecord]);
export type JournalRecord = z.infer<typeof journalRecord>;
export type MessageRecord = z.infer<typeof messageRecord>;
type EnvelopeTuple = z.infer<typeof envelopeTuple>;

export function envelopeTupleOf({ device, envelope: e }: HotEnvelope): EnvelopeTuple {
  return [device, e.seq, e.kind, e.messageId, e.fromUsername, e.fromDevice, e.serverTime, e.kind === 'message' ? e.sealed : null];
}

export function hotEnvelopeOf([device, seq, kind, messageId, fromUsername, fromDevice, serverTime, sealed]: EnvelopeTuple): HotEnvelope {
  const common = { seq, messageId, fromUsername, fromDevice, serverTime };
  const envelope: StoredEnvelope = kind === 'message' ? { ...common, kind, sealed: sealed ?? '' } : { ...common, kind };
  return { device, envelope };
}
