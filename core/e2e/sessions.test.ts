// The client's session store with three devices (two of one person, one of another) on real SQLite
// files: random interleavings of fan-out messages, dropped, reordered, duplicated and tampered,
// including both sides starting a session at the same moment.
import path from 'node:path';
import fc from 'fast-check';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromB64, generateIdentity, loadSodium, toB64, type IdentityKeyPair } from '../../shared/crypto.js';
import type { Bundle, OneTimePreKey, Sealed, SignedPreKey } from '../../shared/protocol.js';
import { tempDir } from '../../tests/helpers.js';
import { HISTORY_MIGRATIONS } from '../migrations/history-migrations.js';
import { migrate } from '../../shared/sqlite-migrations.js';
import { PreKeyStore, SIGNED_PREKEY_KEEP_MS, SIGNED_PREKEY_ROTATE_MS } from './prekeys.js';
import { DecryptError, SessionStore } from './sessions.js';

const NOW = 1_800_000_000_000;
const dir = tempDir();
const open: Database.Database[] = [];

beforeAll(async () => {
  await loadSodium();
});
afterAll(() => {
  for (const db of open) db.close();
});

interface Device {
  identity: IdentityKeyPair;
  db: Database.Database;
  preKeys: PreKeyStore;
  sessions: SessionStore;
  published: { signedPreKey: SignedPreKey; oneTime: OneTimePreKey[] };
}

let files = 0;
function device(): Device {
  const identity = generateIdentity();
  const file = path.join(dir, `device-${files++}.sqlite`);
  const db = new Database(file);
  open.push(db);
  migrate(db, file, HISTORY_MIGRATIONS);
  const preKeys = new PreKeyStore(db, identity);
  const first = preKeys.initial(NOW);
  return { identity, db, preKeys, sessions: new SessionStore(db, identity, preKeys), published: { signedPreKey: first.signedPreKey, oneTime: first.oneTimePreKeys } };
}

/** What the relay hands out: the signed prekey and each one-time prekey once. */
function bundleOf(d: Device): Bundle {
  return { device: d.identity.publicKey, signedPreKey: d.published.signedPreKey, oneTimePreKey: d.published.oneTime.shift() ?? null };
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

function seal(from: Device, to: Device, body: string, now = NOW): Extract<Sealed, { kind: 'ratchet' }> {
  return from.db.transaction(() => {
    if (!from.sessions.has(to.identity.publicKey)) from.sessions.start(bundleOf(to), now);
    return from.sessions.encrypt(to.identity.publicKey, bytes(body)) as Extract<Sealed, { kind: 'ratchet' }>;
  })();
}

function openFrom(to: Device, from: Device, sealed: Extract<Sealed, { kind: 'ratchet' }>, now = NOW): string {
  return text(to.db.transaction(() => to.sessions.decrypt(from.identity.publicKey, sealed, now))());
}

describe('sessions between devices', () => {
  it('a decryption rolled back with its transaction leaves the session able to decrypt it again', () => {
    const [a, b] = [device(), device()];
    expect(openFrom(b, a, seal(a, b, 'first'))).toBe('first');
    const second = seal(a, b, 'second');
    const third = seal(a, b, 'third');
    const rollback = new Error('storing the message failed');
    expect(() =>
      b.db.transaction(() => {
        b.sessions.decrypt(a.identity.publicKey, second, NOW);
        throw rollback;
      })(),
    ).toThrow(rollback);
    // Had the state in memory run ahead of the stored one, "second" would read as already received.
    expect(openFrom(b, a, second)).toBe('second');
    expect(openFrom(b, a, third)).toBe('third');
    expect(() => openFrom(b, a, second)).toThrow(DecryptError);
  });

  it('both sides starting at once end up talking over one session', () => {
    const [a, b] = [device(), device()];
    const fromA = seal(a, b, 'hi from a');
    const fromB = seal(b, a, 'hi from b');
    expect(fromA.preKey).toBeDefined();
    expect(openFrom(b, a, fromA)).toBe('hi from a');
    expect(openFrom(a, b, fromB)).toBe('hi from b');
    for (let i = 0; i < 3; i++) {
      expect(openFrom(b, a, seal(a, b, `a${i}`))).toBe(`a${i}`);
      expect(openFrom(a, b, seal(b, a, `b${i}`))).toBe(`b${i}`);
    }
    // Answered: the X3DH header is no longer sent.
    expect(seal(a, b, 'plain').preKey).toBeUndefined();
  });

  it('refuses a message naming a one-time prekey already used, and a repeat of a first message changes nothing', () => {
    const [a, b, c] = [device(), device(), device()];
    const first = seal(a, b, 'first');
    expect(openFrom(b, a, first)).toBe('first');
    expect(() => openFrom(b, a, first)).toThrow(DecryptError);
    // Another device claiming the same one-time prekey (a replayed header under a new key) gets nothing.
    const forged = seal(c, b, 'forged');
    expect(() => openFrom(b, c, { ...forged, preKey: { ...forged.preKey!, oneTimePreKeyId: first.preKey!.oneTimePreKeyId } })).toThrow(
      DecryptError,
    );
    expect(openFrom(b, a, seal(a, b, 'second'))).toBe('second');
  });

  it('replaces the signed prekey after 7 days and forgets its secret 30 days after that', () => {
    const d = device();
    const firstId = d.published.signedPreKey.id;
    expect(d.preKeys.rotate(NOW + SIGNED_PREKEY_ROTATE_MS - 1)).toBeUndefined();
    const next = d.preKeys.rotate(NOW + SIGNED_PREKEY_ROTATE_MS);
    expect(next?.id).toBeGreaterThan(firstId);
    expect(d.preKeys.signed(firstId)).toBeDefined();
    d.preKeys.rotate(NOW + SIGNED_PREKEY_ROTATE_MS + SIGNED_PREKEY_KEEP_MS + 1);
    expect(d.preKeys.signed(firstId)).toBeUndefined();
    expect(d.preKeys.signed(next!.id)).toBeDefined();
    // Ids are never reused, so a late message cannot meet a different key under an old id.
    const refill = d.preKeys.refill(95, NOW);
    expect(refill).toHaveLength(5);
    expect(new Set([...refill.map((k) => k.id), firstId, next!.id]).size).toBe(7);
    expect(toB64(fromB64(refill[0]!.publicKey))).toBe(refill[0]!.publicKey);
  });
});

describe('three devices, random interleavings (property)', () => {
  type Op =
    | { kind: 'send'; from: number }
    | { kind: 'deliver'; pick: number; copy: boolean }
    | { kind: 'tamper'; pick: number; byte: number }
    | { kind: 'drop'; pick: number };
  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), from: fc.integer({ min: 0, max: 2 }) }),
    fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), copy: fc.boolean() }),
    fc.record({ kind: fc.constant('tamper' as const), pick: fc.nat(), byte: fc.nat() }),
    fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }),
  );

  it('every untampered copy decrypts exactly once, every tampered one is refused, and every pair still talks afterwards', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        // Alice's phone and laptop, and Bob: each message goes to both other devices.
        const devices = [device(), device(), device()];
        const inFlight: { from: number; to: number; sealed: Extract<Sealed, { kind: 'ratchet' }>; body: string; tampered: boolean }[] = [];
        const delivered = new Map<string, number>();
        let counter = 0;
        for (const o of ops) {
          if (o.kind === 'send') {
            const body = `m${counter++}`;
            for (let to = 0; to < 3; to++) {
              if (to !== o.from) inFlight.push({ from: o.from, to, sealed: seal(devices[o.from]!, devices[to]!, body), body: `${body}>${to}`, tampered: false });
            }
            continue;
          }
          if (inFlight.length === 0) continue;
          const i = o.pick % inFlight.length;
          const m = inFlight[i]!;
          if (o.kind === 'drop') {
            inFlight.splice(i, 1);
          } else if (o.kind === 'tamper') {
            const body = fromB64(m.sealed.body);
            body[o.byte % body.length]! ^= 0x01;
            inFlight.push({ ...m, sealed: { ...m.sealed, body: toB64(body) }, tampered: true });
          } else {
            if (!o.copy) inFlight.splice(i, 1);
            try {
              const plain = openFrom(devices[m.to]!, devices[m.from]!, m.sealed);
              if (m.tampered || `${plain}>${m.to}` !== m.body) return false;
              delivered.set(m.body, (delivered.get(m.body) ?? 0) + 1);
            } catch (err) {
              if (!(err instanceof DecryptError)) throw err;
              if (!m.tampered && (delivered.get(m.body) ?? 0) === 0) return false;
            }
          }
        }
        if ([...delivered.values()].some((n) => n !== 1)) return false;
        for (let from = 0; from < 3; from++) {
          for (let to = 0; to < 3; to++) {
            if (from !== to && openFrom(devices[to]!, devices[from]!, seal(devices[from]!, devices[to]!, 'still fine')) !== 'still fine') return false;
          }
        }
        return true;
      }),
      { numRuns: 60, seed: 20261126 },
    );
  });
});
