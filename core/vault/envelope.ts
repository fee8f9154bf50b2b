// history-key.json: the profile's history key, wrapped one or more ways. Each wrap opens the same
// key; `check` tells the right key from a wrong one whatever it came from (a key file, say).
//   os          wrapped by the OS keyring (Electron safeStorage); the backend is recorded, so a
//               change of keyring is told apart from a damaged wrap
//   passphrase  Argon2id of a passphrase, then secretbox; the primary protection where no keyring
//               exists, or a recovery passphrase next to an os wrap
//   key-file    a key file holds the key itself (the CLI, the web host, bots); nothing secret here
import path from 'node:path';
import { z } from 'zod';
import {
  PASSPHRASE_MEMLIMIT,
  PASSPHRASE_OPSLIMIT,
  PASSPHRASE_SALT_BYTES,
  fromB64,
  passphraseKey,
  randomBytes,
  secretboxOpen,
  secretboxSeal,
  toB64,
} from '../../shared/crypto.js';
import { describeZodError } from '../../shared/protocol.js';
import { createFileExclusive, readTextIfExists, writeFileAtomic } from '../atomic-file.js';
import { HistoryKey } from './history-key.js';
import type { OsKeyring } from './keyring.js';

export const ENVELOPE_FILE = 'history-key.json';

const b64 = (chars: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${chars}}$`), 'must be base64url');

const OsWrap = z.object({
  kind: z.literal('os'),
  backend: z.string().min(1).max(64),
  /** What the keyring's encrypt() returned, base64. */
  wrapped: z.string().min(1).max(4096).regex(/^[A-Za-z0-9+/]+=*$/, 'must be base64'),
});
const PassphraseWrap = z.object({
  kind: z.literal('passphrase'),
  kdf: z.object({
    algorithm: z.literal('argon2id13'),
    // Read back as recorded; bounded so a tampered file cannot ask for a terabyte.
    opslimit: z.number().int().min(1).max(20),
    memlimit: z.number().int().min(8 * 1024 * 1024).max(1024 * 1024 * 1024),
    salt: b64(22),
  }),
  /** secretbox of the 32-byte key: 24-byte nonce, 48-byte box. */
  nonce: b64(32),
  box: b64(64),
});
const KeyFileWrap = z.object({ kind: z.literal('key-file') });
const Wrap = z.discriminatedUnion('kind', [OsWrap, PassphraseWrap, KeyFileWrap]);

const EnvelopeFile = z
  .object({ version: z.literal(1), check: b64(43), wraps: z.array(Wrap).max(3) })
  .refine((e) => new Set(e.wraps.map((w) => w.kind)).size === e.wraps.length, 'at most one wrap of each kind');

export type OsWrap = z.infer<typeof OsWrap>;
export type PassphraseWrap = z.infer<typeof PassphraseWrap>;
export type Wrap = z.infer<typeof Wrap>;
export type Envelope = z.infer<typeof EnvelopeFile>;

export const envelopePath = (dir: string): string => path.join(dir, ENVELOPE_FILE);

/** undefined when the folder has none yet. */
export function readEnvelope(dir: string): Envelope | undefined {
  const file = envelopePath(dir);
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON`);
  }
  const parsed = EnvelopeFile.safeParse(json);
  if (!parsed.success) throw new Error(`${file} is not a Warbler key envelope: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export function writeEnvelope(dir: string, envelope: Envelope): void {
  const value = EnvelopeFile.parse(envelope);
  writeFileAtomic(envelopePath(dir), `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes the first envelope of a folder; false when one is there already (made by someone else in
 * the meantime), which is then left as it is: replacing it would orphan the key it wraps.
 */
export function createEnvelope(dir: string, envelope: Envelope): boolean {
  const value = EnvelopeFile.parse(envelope);
  return createFileExclusive(envelopePath(dir), `${JSON.stringify(value, null, 2)}\n`);
}

export function newEnvelope(key: HistoryKey, wraps: Wrap[]): Envelope {
  return { version: 1, check: key.check, wraps };
}

/** The envelope with this wrap in place of any of its kind. */
export function withWrap(envelope: Envelope, wrap: Wrap): Envelope {
  return { ...envelope, wraps: [...envelope.wraps.filter((w) => w.kind !== wrap.kind), wrap] };
}

export function findWrap<K extends Wrap['kind']>(envelope: Envelope, kind: K): Extract<Wrap, { kind: K }> | undefined {
  return envelope.wraps.find((w): w is Extract<Wrap, { kind: K }> => w.kind === kind);
}

export function wrapWithPassphrase(key: HistoryKey, passphrase: string): PassphraseWrap {
  const salt = randomBytes(PASSPHRASE_SALT_BYTES);
  const sealed = secretboxSeal(passphraseKey(passphrase, salt, PASSPHRASE_OPSLIMIT, PASSPHRASE_MEMLIMIT), fromB64(key.toBase64()));
  return {
    kind: 'passphrase',
    kdf: { algorithm: 'argon2id13', opslimit: PASSPHRASE_OPSLIMIT, memlimit: PASSPHRASE_MEMLIMIT, salt: toB64(salt) },
    nonce: sealed.nonce,
    box: sealed.body,
  };
}

/** undefined for a wrong passphrase. */
export function unwrapWithPassphrase(wrap: PassphraseWrap, passphrase: string): HistoryKey | undefined {
  const { opslimit, memlimit, salt } = wrap.kdf;
  const plain = secretboxOpen(passphraseKey(passphrase, fromB64(salt), opslimit, memlimit), { nonce: wrap.nonce, body: wrap.box });
  return plain ? HistoryKey.fromBytes(plain) : undefined;
}

export async function wrapWithKeyring(key: HistoryKey, keyring: OsKeyring): Promise<OsWrap> {
  const wrapped = await keyring.encrypt(key.toBase64());
  return { kind: 'os', backend: keyring.backend(), wrapped: wrapped.toString('base64') };
}

/**
 * The key and whether to wrap it again; undefined when the keyring cannot open the wrap (another
 * keyring, a reset keychain) or what it opens is not this envelope's key.
 */
export async function unwrapWithKeyring(
  wrap: OsWrap,
  keyring: OsKeyring,
  check: string,
): Promise<{ key: HistoryKey; shouldReEncrypt: boolean } | undefined> {
  let opened: { plain: string; shouldReEncrypt: boolean };
  try {
    opened = await keyring.decrypt(Buffer.from(wrap.wrapped, 'base64'));
  } catch {
    return undefined;
  }
  const key = HistoryKey.fromBase64(opened.plain);
  return key?.matches(check) ? { key, shouldReEncrypt: opened.shouldReEncrypt } : undefined;
}
