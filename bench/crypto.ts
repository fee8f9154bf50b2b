// X3DH and Double Ratchet costs on this machine: a 200-byte message encrypted and decrypted in a
// steady session, and a fresh session from a prekey bundle to its first decrypted message.
import { loadSodium } from '../shared/crypto.js';
import { generateDhKeyPair } from '../shared/e2e/primitives.js';
import { initAlice, initBob, ratchetDecrypt, ratchetEncrypt } from '../shared/e2e/ratchet.js';
import { seededIdentity, sessionPair } from '../shared/e2e/session.fixture.js';
import { signPreKey, x3dhInitiate, x3dhRespond, type PreKeyBundle } from '../shared/e2e/x3dh.js';

export async function benchCrypto(iterations: number): Promise<Record<string, unknown>> {
  await loadSodium();
  const payload = new Uint8Array(200).fill(0x61);

  const session = sessionPair('bench', { generate: generateDhKeyPair });
  const { ad } = session;
  let { alice, bob } = session;
  for (let i = 0; i < 200; i++) {
    const out = ratchetEncrypt(alice, payload, ad);
    alice = out.state;
    bob = ratchetDecrypt(bob, out.message, ad, Date.now()).state;
  }
  let started = performance.now();
  for (let i = 0; i < iterations; i++) {
    const out = ratchetEncrypt(alice, payload, ad);
    alice = out.state;
    bob = ratchetDecrypt(bob, out.message, ad, Date.now()).state;
  }
  const pairMicros = ((performance.now() - started) * 1000) / iterations;

  // A fresh session: identities and the published bundle exist already (as on a real device);
  // timed is the bundle check, X3DH on both sides, both ratchets and the first message there and read.
  const sessions = Math.max(50, Math.floor(iterations / 20));
  const alices = Array.from({ length: sessions }, (_, i) => seededIdentity(`alice-${i}`));
  const bobs = Array.from({ length: sessions }, (_, i) => {
    const identity = seededIdentity(`bob-${i}`);
    const signedPreKey = generateDhKeyPair();
    const oneTimePreKey = generateDhKeyPair();
    const bundle: PreKeyBundle = {
      identityKey: identity.identityPublic,
      signedPreKey: { id: 1, publicKey: signedPreKey.publicKey, signature: signPreKey(identity.identitySecret, signedPreKey.publicKey) },
      oneTimePreKey: { id: 1, publicKey: oneTimePreKey.publicKey },
    };
    return { ...identity, signedPreKey, oneTimePreKey, bundle };
  });
  started = performance.now();
  for (let i = 0; i < sessions; i++) {
    const bobKeys = bobs[i]!;
    const a = x3dhInitiate(alices[i]!, bobKeys.bundle, generateDhKeyPair());
    const b = x3dhRespond(bobKeys, alices[i]!.identityPublic, a.ephemeralPublic);
    const first = ratchetEncrypt(initAlice(a.sharedKey, bobKeys.signedPreKey.publicKey), payload, a.associatedData);
    ratchetDecrypt(initBob(b.sharedKey, bobKeys.signedPreKey), first.message, b.associatedData, Date.now());
  }
  const sessionMillis = (performance.now() - started) / sessions;

  return {
    case: 'crypto',
    messagePairs: iterations,
    encryptDecrypt200BytesMicros: Number(pairMicros.toFixed(1)),
    freshSessions: sessions,
    freshSessionMillis: Number(sessionMillis.toFixed(3)),
    targets: { pairMicros: 150, sessionMillis: 3, met: pairMicros < 150 && sessionMillis < 3 },
  };
}
