// The names the relay's protocol (shared/protocol.ts) gives people, messages, requests and link
// proofs; both ends parse them with these.
import { z } from 'zod';
import { b64url } from './wire-keys.js';

/** Lowercase on the way in: usernames are unique regardless of case. */
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_.-]{1,31}$/, 'a username is 2–32 letters, digits, "_", "-" or ".", starting with a letter');
export type Username = z.infer<typeof Username>;

export const MessageId = b64url(16, 64);
export const RequestId = z.string().min(1).max(64);
/** A device link's proof or confirmation: a 32-byte MAC. */
export const LinkProof = b64url(43, 43);
