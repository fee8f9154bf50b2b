// The Double Ratchet (Signal's specification) over X25519, HKDF-SHA256, HMAC-SHA256 and
// XChaCha20-Poly1305. Every function is pure: it returns a new state and never changes the one it
// was given, so a caller commits the new state only after a message authenticated. A forged,
// truncated, replayed or duplicated ciphertext throws and leaves the session exactly as it was.
import sodium from 'libsodium-wrappers-sumo';
import { aeadDecrypt, aeadEncrypt, concat, dh, equalBytes, generateDhKeyPair, hkdf, hmacSha256, utf8, type DhKeyPair } from './primitives.js';

/** Most message keys skipped in one chain step (a longer gap is refused, not computed). */
export const MAX_SKIP = 1000;
/** Most skipped keys a session keeps; the oldest go first. */
export const MAX_SKIPPED_KEYS = 2000;
/** Skipped keys older than this are dropped: a message that late is not coming. */
export const SKIPPED_KEY_TTL_MS = 30 * 24 * 3600_000;
export const HEADER_BYTES = 40;

const ROOT_INFO = utf8('Warbler ratchet root v1');
const MESSAGE_INFO = utf8('Warbler message keys v1');
const ZEROS = new Uint8Array(32);

export interface RatchetState {
  dhSelf: DhKeyPair;
  dhRemote: Uint8Array | null;
  rootKey: Uint8Array;
  sendChain: Uint8Array | null;
  receiveChain: Uint8Array | null;
  sent: number;
  received: number;
  previousChainLength: number;
  /** Message keys of messages not yet received, by "<their ratchet key hex>:<n>". */
  skipped: Record<string, { messageKey: Uint8Array; at: number }>;
}

export interface Header {
  dh: Uint8Array;
  previousChainLength: number;
  n: number;
}

export class RatchetError extends Error {
  constructor(
    readonly reason: 'forged' | 'duplicate' | 'too_many_skipped' | 'malformed' | 'cannot_send',
    message: string,
  ) {
    super(message);
    this.name = 'RatchetError';
  }
}

function kdfRoot(rootKey: Uint8Array, dhOut: Uint8Array): [Uint8Array, Uint8Array] {
  const out = hkdf(dhOut, rootKey, ROOT_INFO, 64);
  return [out.slice(0, 32), out.slice(32)];
}

function kdfChain(chainKey: Uint8Array): [Uint8Array, Uint8Array] {
  return [hmacSha256(chainKey, Uint8Array.of(0x02)), hmacSha256(chainKey, Uint8Array.of(0x01))];
}

function messageCipher(messageKey: Uint8Array): { key: Uint8Array; nonce: Uint8Array } {
  const out = hkdf(messageKey, ZEROS, MESSAGE_INFO, 56);
  return { key: out.slice(0, 32), nonce: out.slice(32) };
}

export function encodeHeader(h: Header): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  out.set(h.dh, 0);
  const view = new DataView(out.buffer);
  view.setUint32(32, h.previousChainLength);
  view.setUint32(36, h.n);
  return out;
}

export function decodeHeader(bytes: Uint8Array): Header {
  if (bytes.length < HEADER_BYTES) throw new RatchetError('malformed', 'the message is too short');
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  return { dh: bytes.slice(0, 32), previousChainLength: view.getUint32(32), n: view.getUint32(36) };
}

/**
 * A state the caller may change without touching the one it came from. Shallow: no function here
 * writes into a key's bytes, each step puts new arrays in place, so only `skipped` is shared
 * mutable. structuredClone of the whole state was a twentieth of a long backlog's drain.
 */
const copyState = (state: RatchetState): RatchetState => ({ ...state, skipped: { ...state.skipped } });
const skippedId = (dhPublic: Uint8Array, n: number): string => `${sodium.to_hex(dhPublic)}:${n}`;

/** The initiator (Alice), after X3DH, towards the responder's signed prekey. */
export function initAlice(sharedKey: Uint8Array, bobRatchetKey: Uint8Array, generate: () => DhKeyPair = generateDhKeyPair): RatchetState {
  const dhSelf = generate();
  const [rootKey, sendChain] = kdfRoot(sharedKey, dh(dhSelf.secretKey, bobRatchetKey));
  return { dhSelf, dhRemote: bobRatchetKey, rootKey, sendChain, receiveChain: null, sent: 0, received: 0, previousChainLength: 0, skipped: {} };
}

/** The responder (Bob), after X3DH, with the signed prekey as its first ratchet key. */
export function initBob(sharedKey: Uint8Array, signedPreKey: DhKeyPair): RatchetState {
  return { dhSelf: signedPreKey, dhRemote: null, rootKey: sharedKey, sendChain: null, receiveChain: null, sent: 0, received: 0, previousChainLength: 0, skipped: {} };
}

export function ratchetEncrypt(state: RatchetState, plaintext: Uint8Array, ad: Uint8Array): { state: RatchetState; message: Uint8Array } {
  if (!state.sendChain) throw new RatchetError('cannot_send', 'no sending chain yet: a responder sends after its first received message');
  const next = copyState(state);
  const [sendChain, messageKey] = kdfChain(state.sendChain);
  next.sendChain = sendChain;
  const header = encodeHeader({ dh: state.dhSelf.publicKey, previousChainLength: state.previousChainLength, n: state.sent });
  next.sent = state.sent + 1;
  const { key, nonce } = messageCipher(messageKey);
  return { state: next, message: concat(header, aeadEncrypt(key, nonce, plaintext, concat(ad, header))) };
}

export function ratchetDecrypt(
  state: RatchetState,
  message: Uint8Array,
  ad: Uint8Array,
  now: number,
  generate: () => DhKeyPair = generateDhKeyPair,
): { state: RatchetState; plaintext: Uint8Array } {
  const header = decodeHeader(message);
  const headerBytes = message.subarray(0, HEADER_BYTES);
  const ciphertext = message.subarray(HEADER_BYTES);
  const s = copyState(state);
  for (const [id, entry] of Object.entries(s.skipped)) if (now - entry.at > SKIPPED_KEY_TTL_MS) delete s.skipped[id];

  const open = (messageKey: Uint8Array): Uint8Array => {
    const { key, nonce } = messageCipher(messageKey);
    const plaintext = aeadDecrypt(key, nonce, ciphertext, concat(ad, headerBytes));
    if (!plaintext) throw new RatchetError('forged', 'the message does not authenticate');
    return plaintext;
  };

  const id = skippedId(header.dh, header.n);
  const waiting = s.skipped[id];
  if (waiting) {
    const plaintext = open(waiting.messageKey);
    delete s.skipped[id];
    return { state: s, plaintext };
  }
  if (!s.dhRemote || !equalBytes(header.dh, s.dhRemote)) {
    skip(s, header.previousChainLength, now);
    s.previousChainLength = s.sent;
    s.sent = 0;
    s.received = 0;
    s.dhRemote = header.dh;
    [s.rootKey, s.receiveChain] = kdfRoot(s.rootKey, dh(s.dhSelf.secretKey, s.dhRemote));
    s.dhSelf = generate();
    [s.rootKey, s.sendChain] = kdfRoot(s.rootKey, dh(s.dhSelf.secretKey, s.dhRemote));
  }
  skip(s, header.n, now);
  if (header.n < s.received || !s.receiveChain) throw new RatchetError('duplicate', 'this message was already received');
  const [receiveChain, messageKey] = kdfChain(s.receiveChain);
  s.receiveChain = receiveChain;
  s.received += 1;
  return { state: s, plaintext: open(messageKey) };
}

/** Stores the keys of the messages before `until` on the current receiving chain. */
function skip(s: RatchetState, until: number, now: number): void {
  if (!s.receiveChain || !s.dhRemote) return;
  if (until - s.received > MAX_SKIP) throw new RatchetError('too_many_skipped', `more than ${MAX_SKIP} messages were skipped`);
  while (s.received < until) {
    const [receiveChain, messageKey] = kdfChain(s.receiveChain);
    s.receiveChain = receiveChain;
    s.skipped[skippedId(s.dhRemote, s.received)] = { messageKey, at: now };
    s.received += 1;
  }
  const ids = Object.keys(s.skipped);
  // Insertion order is age order: drop the oldest beyond the cap.
  for (const old of ids.slice(0, Math.max(0, ids.length - MAX_SKIPPED_KEYS))) delete s.skipped[old];
}
