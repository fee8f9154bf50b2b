import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_CHUNK_BYTES, cipherSizeOf } from './attachment.js';
import {
  ATTACHMENT_CIPHER_CHUNK_BYTES,
  ATTACHMENT_HEADER_BYTES,
  AttachmentDamagedError,
  AttachmentDecryptor,
  AttachmentEncryptor,
  attachmentKeyFromText,
  attachmentKeyToText,
  decryptAttachment,
  encryptAttachment,
  newAttachmentKey,
  type DamageReason,
} from './attachment-crypto.js';
import { loadSodium } from './crypto.js';
import { TAG_FINAL, TAG_MESSAGE, defaultEngine } from './secretstream.js';

beforeAll(async () => {
  await loadSodium();
});

const hex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** The chunks of a ciphertext as the layout splits them: header, then full messages, the last one shorter or equal. */
function split(cipher: Uint8Array): { header: Uint8Array; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  for (let o = ATTACHMENT_HEADER_BYTES; o < cipher.length; o += ATTACHMENT_CIPHER_CHUNK_BYTES) {
    chunks.push(cipher.slice(o, o + ATTACHMENT_CIPHER_CHUNK_BYTES));
  }
  return { header: cipher.slice(0, ATTACHMENT_HEADER_BYTES), chunks };
}

const join = (header: Uint8Array, chunks: Uint8Array[]) => Uint8Array.from([...header, ...chunks.flatMap((c) => [...c])]);

const engines = ['heap', 'wrapper'] as const;

function refusal(run: () => unknown): DamageReason {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(AttachmentDamagedError);
    expect((err as AttachmentDamagedError).code).toBe('attachment_damaged');
    return (err as AttachmentDamagedError).reason;
  }
  throw new Error('the ciphertext was accepted');
}

describe.each(engines)('round trip (%s engine)', (engine) => {
  const sizes = [0, 1, 1000, ATTACHMENT_CHUNK_BYTES - 1, ATTACHMENT_CHUNK_BYTES, ATTACHMENT_CHUNK_BYTES + 1, 3 * ATTACHMENT_CHUNK_BYTES + 7];
  it.each(sizes)('%i bytes come back byte for byte, in cipherSizeOf bytes', (size) => {
    const key = newAttachmentKey();
    const plain = bytes(size);
    const cipher = encryptAttachment(key, plain, { engine });
    expect(cipher.length).toBe(cipherSizeOf(size));
    expect(decryptAttachment(key, cipher, { engine })).toEqual(plain);
  });

  it('marks only the last chunk final, chunk by chunk', () => {
    const key = newAttachmentKey();
    const { header, chunks } = split(encryptAttachment(key, bytes(2 * ATTACHMENT_CHUNK_BYTES + 5), { engine }));
    expect(chunks.map((c) => c.length)).toEqual([ATTACHMENT_CIPHER_CHUNK_BYTES, ATTACHMENT_CIPHER_CHUNK_BYTES, 5 + 17]);
    const decryptor = new AttachmentDecryptor(key, header, { engine });
    expect(chunks.map((c) => decryptor.pull(c).final)).toEqual([false, false, true]);
    expect(decryptor.done).toBe(true);
    decryptor.end();
  });

  it('gives every file its own header and key, so equal files encrypt differently', () => {
    const key = newAttachmentKey();
    expect(newAttachmentKey()).not.toEqual(key);
    expect(encryptAttachment(key, bytes(100), { engine })).not.toEqual(encryptAttachment(key, bytes(100), { engine }));
  });

  it('writes the key as the pointer carries it', () => {
    const key = newAttachmentKey();
    const text = attachmentKeyToText(key);
    expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(attachmentKeyFromText(text)).toEqual(key);
    expect(() => attachmentKeyFromText('AAAA')).toThrow(/32 bytes/);
  });
});

describe.each(engines)('known answers, %s engine (frozen: a change here breaks every attachment already sent)', (engine) => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);

  it('decrypts a one-chunk file', () => {
    const cipher = hex(
      'a39d2800a684b6d69f8613b61d412e355359d8226798bf5b' +
        'cb9c2599951350a13d2fe8b95ec960b7fb5fd88976d96acd41e34a2435b458ff4d8cd673040a3555f020b5fc5b82d36874',
    );
    expect(sodium.to_string(decryptAttachment(key, cipher, { engine }))).toBe('Warbler attachment known answer\n');
  });

  it('decrypts an empty file: one empty FINAL chunk', () => {
    const cipher = hex('0412c8f3aac48f3bddfa5fffe4ca4e6a48e928030ff2c855' + 'c2f951f22beb2a809fc5525193d0d8b8b0');
    expect(cipher.length).toBe(cipherSizeOf(0));
    expect(decryptAttachment(key, cipher, { engine })).toEqual(new Uint8Array(0));
  });
});

describe.each(engines)('refuses what the sender did not write (%s engine)', (engine) => {
  const key = newAttachmentKey();
  const plain = bytes(3 * ATTACHMENT_CHUNK_BYTES + 100);
  const cipher = encryptAttachment(key, plain, { engine });

  it.each([
    ['the header', 3],
    ['the first chunk', ATTACHMENT_HEADER_BYTES + 10],
    ['a middle chunk’s MAC', ATTACHMENT_HEADER_BYTES + 2 * ATTACHMENT_CIPHER_CHUNK_BYTES - 1],
    ['the last chunk', cipher.length - 20],
    ['the last byte', cipher.length - 1],
  ])('one flipped bit in %s', (_, offset) => {
    const bad = cipher.slice();
    bad[offset]! ^= 0x01;
    expect(refusal(() => decryptAttachment(key, bad, { engine }))).toBe('forged');
  });

  it('a wrong key', () => {
    expect(refusal(() => decryptAttachment(newAttachmentKey(), cipher, { engine }))).toBe('forged');
  });

  it('a missing FINAL chunk (truncated at a chunk boundary)', () => {
    const { header, chunks } = split(cipher);
    expect(refusal(() => decryptAttachment(key, join(header, chunks.slice(0, -1)), { engine }))).toBe('truncated');
    expect(refusal(() => decryptAttachment(key, header, { engine }))).toBe('truncated');
  });

  it('a ciphertext cut inside a chunk', () => {
    expect(refusal(() => decryptAttachment(key, cipher.subarray(0, cipher.length - 50), { engine }))).toBe('forged');
    expect(refusal(() => decryptAttachment(key, cipher.subarray(0, ATTACHMENT_HEADER_BYTES + 10), { engine }))).toBe('malformed');
    expect(refusal(() => decryptAttachment(key, cipher.subarray(0, 10), { engine }))).toBe('malformed');
  });

  it('reordered or repeated chunks', () => {
    const { header, chunks } = split(cipher);
    const [a, b, c, d] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    expect(refusal(() => decryptAttachment(key, join(header, [b, a, c, d]), { engine }))).toBe('forged');
    expect(refusal(() => decryptAttachment(key, join(header, [a, a, b, c, d]), { engine }))).toBe('forged');
    expect(refusal(() => decryptAttachment(key, join(header, [a, c, d]), { engine }))).toBe('forged');
  });

  it('data after the FINAL chunk', () => {
    const { header, chunks } = split(cipher);
    const decryptor = new AttachmentDecryptor(key, header, { engine });
    for (const chunk of chunks) decryptor.pull(chunk);
    expect(refusal(() => decryptor.pull(chunks[0]!))).toBe('extra_data');
    expect(refusal(() => decryptAttachment(key, Uint8Array.from([...cipher, 0]), { engine }))).toBe('forged');
    // The FINAL chunk again, where a reader splits it off as a chunk of its own (a full last chunk).
    const one = encryptAttachment(key, bytes(ATTACHMENT_CHUNK_BYTES), { engine });
    const twice = Uint8Array.from([...one, ...split(one).chunks[0]!]);
    expect(refusal(() => decryptAttachment(key, twice, { engine }))).toBe('extra_data');
  });

  it('stays refused after a forgery, and end() reports it', () => {
    const { header, chunks } = split(cipher);
    const decryptor = new AttachmentDecryptor(key, header, { engine });
    const bad = chunks[0]!.slice();
    bad[0]! ^= 1;
    expect(refusal(() => decryptor.pull(bad))).toBe('forged');
    expect(refusal(() => decryptor.pull(chunks[0]!))).toBe('forged');
    expect(refusal(() => decryptor.end())).toBe('forged');
  });

  it('authentic chunks in a layout this format never writes', () => {
    // A sender of another format: a short chunk that is not the last, and an empty FINAL after data.
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const short = sodium.crypto_secretstream_xchacha20poly1305_push(state, bytes(10), null, sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
    expect(refusal(() => new AttachmentDecryptor(key, header, { engine }).pull(short))).toBe('malformed');

    const second = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const full = sodium.crypto_secretstream_xchacha20poly1305_push(second.state, bytes(ATTACHMENT_CHUNK_BYTES), null, 0);
    const empty = sodium.crypto_secretstream_xchacha20poly1305_push(second.state, new Uint8Array(0), null, sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
    const decryptor = new AttachmentDecryptor(key, second.header, { engine });
    decryptor.pull(full);
    expect(refusal(() => decryptor.pull(empty))).toBe('malformed');

    const third = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const pushTag = sodium.crypto_secretstream_xchacha20poly1305_push(third.state, bytes(5), null, sodium.crypto_secretstream_xchacha20poly1305_TAG_PUSH);
    expect(refusal(() => new AttachmentDecryptor(key, third.header, { engine }).pull(pushTag))).toBe('malformed');
  });
});

describe.each(engines)('the encryptor keeps to the layout (%s engine)', (engine) => {
  it('refuses chunks of the wrong size and pushes after the end', () => {
    const encryptor = new AttachmentEncryptor(newAttachmentKey(), { engine });
    expect(encryptor.header.length).toBe(ATTACHMENT_HEADER_BYTES);
    expect(() => encryptor.push(bytes(ATTACHMENT_CHUNK_BYTES + 1), true)).toThrow(/at most/);
    expect(() => encryptor.push(bytes(10), false)).toThrow(/every chunk but the last/);
    encryptor.push(bytes(ATTACHMENT_CHUNK_BYTES), false);
    expect(() => encryptor.push(new Uint8Array(0), true)).toThrow(/only an empty file/);
    encryptor.push(bytes(1), true);
    expect(() => encryptor.push(bytes(1), true)).toThrow(/already finished/);
  });

  it('refuses a key of the wrong length', () => {
    expect(() => new AttachmentEncryptor(new Uint8Array(16), { engine })).toThrow(/32 bytes/);
    expect(() => new AttachmentDecryptor(new Uint8Array(31), new Uint8Array(24), { engine })).toThrow(/32 bytes/);
  });
});

describe('the engines', () => {
  it('uses the module’s memory directly in this build of libsodium', () => {
    // Should a libsodium-wrappers release stop exposing its module, this fails: attachments still
    // work (the wrapper engine), at half the speed; shared/secretstream.ts says what it needs.
    expect(defaultEngine()).toBe('heap');
    expect([TAG_MESSAGE, TAG_FINAL]).toEqual([sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE, sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL]);
  });

  it('read each other’s ciphertext', () => {
    const key = newAttachmentKey();
    const plain = bytes(2 * ATTACHMENT_CHUNK_BYTES + 33);
    expect(decryptAttachment(key, encryptAttachment(key, plain, { engine: 'heap' }), { engine: 'wrapper' })).toEqual(plain);
    expect(decryptAttachment(key, encryptAttachment(key, plain, { engine: 'wrapper' }), { engine: 'heap' })).toEqual(plain);
  });

  it.each(engines)('%s: writes into the caller’s buffer at an offset, and refuses one too small', (engine) => {
    const key = newAttachmentKey();
    const encryptor = new AttachmentEncryptor(key, { engine });
    const out = new Uint8Array(100);
    expect(() => encryptor.pushInto(bytes(90), true, out, 0)).toThrow(RangeError);
    expect(encryptor.pushInto(bytes(50), true, out, 7)).toBe(67);
    const plain = new Uint8Array(60);
    const decryptor = new AttachmentDecryptor(key, encryptor.header, { engine });
    expect(decryptor.pullInto(out.subarray(7, 74), plain, 3)).toEqual({ length: 50, final: true });
    expect(plain.subarray(3, 53)).toEqual(bytes(50));
  });

  it.each(engines)('%s: a stream disposed before its end cannot be used', (engine) => {
    const key = newAttachmentKey();
    const encryptor = new AttachmentEncryptor(key, { engine });
    const first = encryptor.push(bytes(ATTACHMENT_CHUNK_BYTES), false);
    const decryptor = new AttachmentDecryptor(key, encryptor.header, { engine });
    encryptor.dispose();
    encryptor.dispose();
    decryptor.dispose();
    expect(() => encryptor.push(bytes(1), true)).toThrow(/disposed/);
    expect(() => decryptor.pull(first)).toThrow(/disposed/);
  });
});
