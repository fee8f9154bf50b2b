// A ratchet session as text for the client's database, and back. What comes back from disk is
// validated like anything else that crosses a boundary.
import { z } from 'zod';
import sodium from 'libsodium-wrappers-sumo';
import type { RatchetState } from './ratchet.js';

const B64 = z.string().regex(/^[A-Za-z0-9_-]*$/);
const Key = B64.length(43);

const StoredState = z.object({
  v: z.literal(1),
  dhSelf: z.object({ publicKey: Key, secretKey: Key }),
  dhRemote: Key.nullable(),
  rootKey: Key,
  sendChain: Key.nullable(),
  receiveChain: Key.nullable(),
  sent: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  previousChainLength: z.number().int().nonnegative(),
  skipped: z.record(z.string().max(80), z.object({ messageKey: Key, at: z.number() })),
});

const enc = (bytes: Uint8Array): string => sodium.to_base64(bytes, sodium.base64_variants.URLSAFE_NO_PADDING);
const dec = (text: string): Uint8Array => sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
const encOrNull = (bytes: Uint8Array | null): string | null => (bytes ? enc(bytes) : null);
const decOrNull = (text: string | null): Uint8Array | null => (text === null ? null : dec(text));

export function encodeState(state: RatchetState): string {
  return JSON.stringify({
    v: 1,
    dhSelf: { publicKey: enc(state.dhSelf.publicKey), secretKey: enc(state.dhSelf.secretKey) },
    dhRemote: encOrNull(state.dhRemote),
    rootKey: enc(state.rootKey),
    sendChain: encOrNull(state.sendChain),
    receiveChain: encOrNull(state.receiveChain),
    sent: state.sent,
    received: state.received,
    previousChainLength: state.previousChainLength,
    skipped: Object.fromEntries(Object.entries(state.skipped).map(([id, s]) => [id, { messageKey: enc(s.messageKey), at: s.at }])),
  } satisfies z.input<typeof StoredState>);
}

/** Throws when the text is not a session this code wrote. */
export function decodeState(text: string): RatchetState {
  const s = StoredState.parse(JSON.parse(text));
  return {
    dhSelf: { publicKey: dec(s.dhSelf.publicKey), secretKey: dec(s.dhSelf.secretKey) },
    dhRemote: decOrNull(s.dhRemote),
    rootKey: dec(s.rootKey),
    sendChain: decOrNull(s.sendChain),
    receiveChain: decOrNull(s.receiveChain),
    sent: s.sent,
    received: s.received,
    previousChainLength: s.previousChainLength,
    skipped: Object.fromEntries(Object.entries(s.skipped).map(([id, k]) => [id, { messageKey: dec(k.messageKey), at: k.at }])),
  };
}
