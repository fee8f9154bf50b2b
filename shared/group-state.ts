// A group's membership as its owner signs it. The relay knows nothing of groups, so every device
// checks a state itself: its id must be the hash of the signing account key and the group's salt,
// and the signature must verify under that key. A member who was removed, or anyone who learnt a
// group's id, cannot sign a state for it; only the owner's account can, on any of its devices.
import sodium from 'libsodium-wrappers-sumo';
import { randomBytes, sign, toB64, verify } from './crypto.js';
import type { SignedGroupState } from './payload.js';

export type GroupStateBody = Omit<SignedGroupState, 'signature'>;

const ID_BYTES = 16;
const utf8 = new TextEncoder();

/** The id of the group an account makes with this salt: '#' and a 16-byte BLAKE2b of both. */
export function groupIdFor(ownerKey: string, salt: string): string {
  const hash = sodium.crypto_generichash(ID_BYTES, utf8.encode(`warbler-group-id-v1\n${ownerKey}\n${salt}`), null);
  return `#${toB64(hash)}`;
}

export function newGroupSalt(): string {
  return toB64(randomBytes(ID_BYTES));
}

// JSON of a fixed-order array: the same state always gives the same bytes.
const signedBytes = (s: GroupStateBody): Uint8Array =>
  utf8.encode(`warbler-group-state-v1\n${JSON.stringify([s.group, s.owner, s.ownerKey, s.salt, s.version, s.name, s.members])}`);

export function signGroupState(body: GroupStateBody, accountSecretKey: string): SignedGroupState {
  return { ...body, signature: sign(signedBytes(body), accountSecretKey) };
}

/** Whether the state is its owner's own: the id is bound to the owner's key, and the key signed it. */
export function verifyGroupState(state: SignedGroupState): boolean {
  return groupIdFor(state.ownerKey, state.salt) === state.group && verify(signedBytes(state), state.signature, state.ownerKey);
}

/**
 * Whether `next` replaces `current`: a later version, or (two of the owner's devices changed the
 * group at once) the same version with the greater signature, so every device settles on one.
 */
export function supersedes(next: SignedGroupState, current: SignedGroupState): boolean {
  if (next.version !== current.version) return next.version > current.version;
  return next.signature > current.signature;
}
