import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceBox, authPayload, fromB64, generateIdentity, loadSodium, openFrom, sealTo, sign, toB64, verify } from './crypto.js';

beforeAll(async () => {
  await loadSodium();
});

const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));

describe('Ed25519 (RFC 8032, test 1)', () => {
  it('derives the public key and signature of the RFC', () => {
    const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const kp = sodium.crypto_sign_seed_keypair(seed);
    expect(sodium.to_hex(kp.publicKey)).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    const signature = sign(new Uint8Array(0), toB64(kp.privateKey));
    expect(sodium.to_hex(fromB64(signature))).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    expect(verify(new Uint8Array(0), signature, toB64(kp.publicKey))).toBe(true);
  });
});

describe('login signature', () => {
  it('verifies only for the same nonce, device key, relay key and origin', () => {
    const id = generateIdentity();
    const other = generateIdentity();
    const relay = generateIdentity().publicKey;
    const binding = { nonce: 'nonce-1', relayKey: relay, origin: 'relay.example.org' };
    const sig = sign(authPayload(binding, id.publicKey), id.secretKey);
    expect(verify(authPayload(binding, id.publicKey), sig, id.publicKey)).toBe(true);
    expect(verify(authPayload({ ...binding, nonce: 'nonce-2' }, id.publicKey), sig, id.publicKey)).toBe(false);
    expect(verify(authPayload(binding, id.publicKey), sig, other.publicKey)).toBe(false);
    expect(verify(authPayload(binding, id.publicKey), 'garbage', id.publicKey)).toBe(false);
    // Made for another relay: another key, or the same key reached at another host.
    expect(verify(authPayload({ ...binding, relayKey: generateIdentity().publicKey }, id.publicKey), sig, id.publicKey)).toBe(false);
    expect(verify(authPayload({ ...binding, origin: 'evil.example:7878' }, id.publicKey), sig, id.publicKey)).toBe(false);
  });
});

describe('sealed messages between identities', () => {
  it('opens only for the intended recipient, from the claimed sender', () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const eve = generateIdentity();
    const box = sealTo('héllo 👋', bob.publicKey, alice.secretKey);
    expect(openFrom(box, alice.publicKey, bob.secretKey)).toBe('héllo 👋');
    expect(openFrom(box, alice.publicKey, eve.secretKey)).toBeNull();
    expect(openFrom(box, eve.publicKey, bob.secretKey)).toBeNull();
  });

  it('rejects a tampered ciphertext or nonce', () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const box = sealTo('pay 10', bob.publicKey, alice.secretKey);
    const body = fromB64(box.body);
    body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 1;
    expect(openFrom({ ...box, body: toB64(body) }, alice.publicKey, bob.secretKey)).toBeNull();
    const other = sealTo('pay 10', bob.publicKey, alice.secretKey);
    expect(openFrom({ ...box, nonce: other.nonce }, alice.publicKey, bob.secretKey)).toBeNull();
    expect(openFrom({ nonce: '!!', body: box.body }, alice.publicKey, bob.secretKey)).toBeNull();
  });

  it('matches plain crypto_box, so cached shared keys change nothing on the wire', () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const box = new DeviceBox(alice.secretKey).seal('cached', bob.publicKey);
    const plain = sodium.crypto_box_open_easy(
      fromB64(box.body),
      fromB64(box.nonce),
      sodium.crypto_sign_ed25519_pk_to_curve25519(fromB64(alice.publicKey)),
      sodium.crypto_sign_ed25519_sk_to_curve25519(fromB64(bob.secretKey)),
    );
    expect(sodium.to_string(plain)).toBe('cached');
    const bobBox = new DeviceBox(bob.secretKey);
    expect(bobBox.open(box, alice.publicKey)).toBe('cached');
    expect(bobBox.open(box, bob.publicKey)).toBeNull();
    expect(bobBox.open(box, 'not-a-key')).toBeNull();
  });

  it('uses a fresh nonce for every message', () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const a = sealTo('same', bob.publicKey, alice.secretKey);
    const b = sealTo('same', bob.publicKey, alice.secretKey);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.body).not.toBe(b.body);
  });
});
