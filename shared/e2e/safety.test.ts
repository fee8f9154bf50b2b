import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../crypto.js';
import { decodeState, encodeState } from './codec.js';
import { fingerprint, safetyNumber, safetyQrPayload } from './safety.js';
import { seededIdentity, sessionPair } from './session.fixture.js';

beforeAll(async () => {
  await loadSodium();
});

describe('safety numbers', () => {
  const alice = { username: 'alice', accountKey: seededIdentity('safety/alice').identityPublic };
  const bob = { username: 'bob', accountKey: seededIdentity('safety/bob').identityPublic };

  it('are the same 60 digits from either side, and change with either key', () => {
    const number = safetyNumber(alice, bob);
    expect(number).toMatch(/^\d{60}$/);
    expect(safetyNumber(bob, alice)).toBe(number);
    const mallory = { username: 'bob', accountKey: seededIdentity('safety/mallory').identityPublic };
    expect(safetyNumber(alice, mallory)).not.toBe(number);
    expect(safetyNumber(alice, mallory).includes(fingerprint('alice', alice.accountKey))).toBe(true);
    expect(safetyQrPayload(number)).toBe(`warbler-safety:1:${number}`);
  });

  it('match a golden vector (a change here changes every number people have compared)', () => {
    expect(fingerprint('alice', alice.accountKey)).toBe(GOLDEN.alice);
    expect(safetyNumber(alice, bob)).toBe(GOLDEN.pair);
  });
});

describe('session codec', () => {
  it('round-trips a ratchet state, and refuses what it did not write', () => {
    const { alice } = sessionPair('codec');
    expect(decodeState(encodeState(alice))).toEqual(alice);
    expect(() => decodeState('{"v":1}')).toThrow();
    expect(() => decodeState(encodeState(alice).replace('"sent":0', '"sent":-1'))).toThrow();
  });
});

const GOLDEN = {
  alice: '642368493640176207334830467508',
  pair: '533204308755952672453109123769642368493640176207334830467508',
};
