// Two devices with seeded keys and a session between them, for the ratchet's tests and benchmark.
import sodium from 'libsodium-wrappers-sumo';
import { dhKeyPairFrom, hkdf, utf8, type DhKeyPair } from './primitives.js';
import { signPreKey, x3dhInitiate, x3dhRespond, type PreKeyBundle } from './x3dh.js';
import { initAlice, initBob, type RatchetState } from './ratchet.js';

/** Deterministic key pairs from a label: the same label, the same keys, on every machine. */
export function seededDh(label: string): () => DhKeyPair {
  let counter = 0;
  return () => dhKeyPairFrom(hkdf(utf8(`${label}/${counter++}`), new Uint8Array(32), utf8('test keys'), 32));
}

export function seededIdentity(label: string): { identityPublic: Uint8Array; identitySecret: Uint8Array } {
  const kp = sodium.crypto_sign_seed_keypair(hkdf(utf8(label), new Uint8Array(32), utf8('test identity'), 32));
  return { identityPublic: kp.publicKey, identitySecret: kp.privateKey };
}

export interface Pair {
  alice: RatchetState;
  bob: RatchetState;
  ad: Uint8Array;
  bundle: PreKeyBundle;
}

/** X3DH then both ratchets, from seeds (or random keys with `random: true`). */
export function sessionPair(seed = 'pair', opts: { oneTimePreKey?: boolean; generate?: () => DhKeyPair } = {}): Pair {
  const gen = opts.generate ?? seededDh(seed);
  const alice = seededIdentity(`${seed}/alice`);
  const bob = seededIdentity(`${seed}/bob`);
  const spk = gen();
  const opk = opts.oneTimePreKey === false ? undefined : gen();
  const bundle: PreKeyBundle = {
    identityKey: bob.identityPublic,
    signedPreKey: { id: 1, publicKey: spk.publicKey, signature: signPreKey(bob.identitySecret, spk.publicKey) },
    ...(opk ? { oneTimePreKey: { id: 7, publicKey: opk.publicKey } } : {}),
  };
  const a = x3dhInitiate(alice, bundle, gen());
  const b = x3dhRespond({ ...bob, signedPreKey: spk, ...(opk ? { oneTimePreKey: opk } : {}) }, alice.identityPublic, a.ephemeralPublic);
  return { alice: initAlice(a.sharedKey, spk.publicKey, gen), bob: initBob(b.sharedKey, spk), ad: a.associatedData, bundle };
}
