// Signature checks on the worker thread judge exactly as libsodium does on the relay's thread,
// natively and in WebAssembly, however many arrive in one turn of the event loop, and refuse
// every encoding of a signature or key but the canonical one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromB64, generateIdentity, loadSodium, sign, toB64 } from '../shared/crypto.js';
import { SignatureChecks } from './signature-checks.js';

const utf8 = new TextEncoder();
const engines = [new SignatureChecks(true), new SignatureChecks(false)];

beforeAll(async () => {
  await loadSodium();
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
});

describe.each([
  ['native', engines[0]!],
  ['WebAssembly', engines[1]!],
])('signature checks (%s)', (_, checks) => {
  it('accept a signature of the key over the message, and nothing else', async () => {
    const alice = generateIdentity();
    const bob = generateIdentity();
    const message = utf8.encode('warbler-auth-v2\nnonce');
    const signature = sign(message, alice.secretKey);
    const flipped = fromB64(signature);
    flipped[10]! ^= 1;
    expect(
      await Promise.all([
        checks.check(message, signature, alice.publicKey),
        checks.check(utf8.encode('warbler-auth-v2\nother'), signature, alice.publicKey),
        checks.check(message, signature, bob.publicKey),
        checks.check(message, toB64(flipped), alice.publicKey),
      ]),
    ).toEqual([true, false, false, false]);
  });

  it('answer each of many checks made in one turn of the event loop', async () => {
    const devices = Array.from({ length: 40 }, () => generateIdentity());
    const cases = Array.from({ length: 600 }, (_, i) => {
      const device = devices[i % devices.length]!;
      const message = utf8.encode(`login ${i}`);
      const good = i % 3 !== 0;
      return { message, signature: sign(good ? message : utf8.encode(`another ${i}`), device.secretKey), key: device.publicKey, good };
    });
    const answers = await Promise.all(cases.map((c) => checks.check(c.message, c.signature, c.key)));
    expect(answers).toEqual(cases.map((c) => c.good));
  });

  it('refuse a malformed, padded or lengthened signature or key', async () => {
    const alice = generateIdentity();
    const message = utf8.encode('m');
    const signature = sign(message, alice.secretKey);
    const longer = toB64(new Uint8Array([...fromB64(signature), 0]));
    const longerKey = toB64(new Uint8Array([...fromB64(alice.publicKey), 0]));
    // The same 64 bytes, but the unused low bits of the last character set: a second spelling.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = signature.slice(0, -1) + alphabet[alphabet.indexOf(signature.at(-1)!) | 1];
    expect(
      await Promise.all([
        checks.check(message, `${signature}==`, alice.publicKey),
        checks.check(message, respelled, alice.publicKey),
        checks.check(message, longer, alice.publicKey),
        checks.check(message, signature, longerKey),
        checks.check(message, 'not base64!', alice.publicKey),
        checks.check(message, '', alice.publicKey),
      ]),
    ).toEqual([false, false, false, false, false, false]);
  });
});

describe('closed signature checks', () => {
  it('fail the checks still waiting, and every later one', async () => {
    const checks = new SignatureChecks();
    const alice = generateIdentity();
    const message = utf8.encode('m');
    const waiting = checks.check(message, sign(message, alice.secretKey), alice.publicKey);
    await checks.close();
    await expect(waiting).rejects.toThrow(/closed/);
    await expect(checks.check(message, sign(message, alice.secretKey), alice.publicKey)).rejects.toThrow(/closed/);
  });
});
