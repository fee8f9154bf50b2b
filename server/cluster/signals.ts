// What nodes tell each other over the bus, and what they keep in Redis for each other: each
// shape checked when read. Another node's message may be from an older or newer version, or
// damaged: what does not match is logged and dropped, never acted on.
import { z } from 'zod';
import type { Logger } from 'pino';
import { EphemeralFrame, LinkedFrame, LinkRequestFrame, PreKeysLowFrame, PresenceEventFrame } from '../../shared/protocol.js';

/** The frames one node sends to sessions on another. */
export const RelayedFrame = z.discriminatedUnion('type', [PresenceEventFrame, EphemeralFrame, PreKeysLowFrame]);

/** On `device:<key>`, heard by the node where that device is connected. */
export const DeviceSignal = z.discriminatedUnion('t', [
  /** Envelopes were queued for it: its session reads its queue. */
  z.object({ t: z.literal('mail') }),
  /** It connected to another node; the session whose generation is lower closes. */
  z.object({ t: z.literal('takeover'), generation: z.number().int().positive() }),
  z.object({ t: z.literal('removed') }),
  z.object({ t: z.literal('frame'), frame: RelayedFrame }),
]);
export type DeviceSignal = z.infer<typeof DeviceSignal>;

/** On `user:<name>`, heard by every node where that person has a session. */
export const UserSignal = z.object({ frame: RelayedFrame });

/** On `link:<code>`, heard by the node where the device waiting with that code is connected. */
export const LinkedSignal = LinkedFrame.omit({ type: true });

/** A device waiting to be linked, under `link:<code>` in Redis. */
export const StoredLink = z.object({
  identityKey: LinkRequestFrame.shape.identityKey,
  address: z.string().min(1).max(200),
  proof: LinkRequestFrame.shape.proof,
  preKeys: LinkRequestFrame.shape.preKeys,
  expiresAt: z.number().int(),
});

/** One session's state in a person's presence hash. */
export const SessionStateValue = z.enum(['online', 'away']);

/** The value when it matches; undefined (and a warning) when it does not. */
export function checked<T>(schema: z.ZodType<T>, value: unknown, log: Logger, what: string): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  log.warn({ what, issues: parsed.error.issues.slice(0, 3) }, 'cluster: malformed data from Redis dropped');
  return undefined;
}
