// A profile is one device's identity and settings in a folder: profile.json (0600), the history
// key's envelope (vault/), and history.sqlite, encrypted with that key.
//
// The secret keys in profile.json are sealed with a subkey of the history key, rather than moved into
// the encrypted database: profile.json stays the one place that says who this device is, its public
// half readable while the history is locked (so the unlock screen can say whose history it is and
// a reset can set it aside whole), and one unlock opens both. The database stays what it was, a
// store of messages and sessions, and a damaged one never takes the device's identity with it.
import path from 'node:path';
import { z } from 'zod';
import { IdentityKey, Username, describeZodError } from '../shared/protocol.js';
import { fromB64, openWithKey, publicKeyOf, sealWithKey, toB64, type IdentityKeyPair } from '../shared/crypto.js';
import { readTextIfExists, writeFileAtomic } from './atomic-file.js';
import type { HistoryKey } from './vault/history-key.js';

const SecretKey = z.string().regex(/^[A-Za-z0-9_-]{86}$/);
const KeyPair = z.object({ publicKey: IdentityKey, secretKey: SecretKey });
/** A 24-byte nonce; a 64-byte Ed25519 secret key and its 16-byte tag. */
const Box = z.object({ nonce: z.string().regex(/^[A-Za-z0-9_-]{32}$/), body: z.string().regex(/^[A-Za-z0-9_-]{107}$/) });
const SealedKeyPair = z.object({ publicKey: IdentityKey, sealedSecretKey: Box });
const Common = { serverUrl: z.string().url(), username: Username };
/** Before encryption at rest: the secret keys in clear. Read once, then written again as version 3. */
const ProfileFileV2 = z.object({ version: z.literal(2), ...Common, identity: KeyPair, account: KeyPair });
const ProfileFileV3 = z.object({ version: z.literal(3), ...Common, identity: SealedKeyPair, account: SealedKeyPair });
const ProfileFile = z.discriminatedUnion('version', [ProfileFileV2, ProfileFileV3]);
type ProfileFile = z.infer<typeof ProfileFile>;

/** A profile as the client uses it, secrets open (in memory only). */
export interface Profile {
  serverUrl: string;
  username: string;
  /** This device's identity key. */
  identity: IdentityKeyPair;
  /** The account key every device of the account holds: it certifies them, and safety numbers compare it. */
  account: IdentityKeyPair;
}

/** What anyone who can read the folder learns: whose profile it is, not its secrets. */
export interface ProfileInfo {
  serverUrl: string;
  username: string;
  deviceKey: string;
  /** The secret keys are still in clear (a profile from before encryption at rest). */
  plaintextSecrets: boolean;
}

export const PROFILE_FILE = 'profile.json';
export const HISTORY_FILE = 'history.sqlite';

export function profilePath(dir: string): string {
  return path.join(dir, PROFILE_FILE);
}

function readProfileFile(dir: string): ProfileFile | undefined {
  const text = readTextIfExists(profilePath(dir));
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${profilePath(dir)} is not valid JSON`);
  }
  if ((json as { version?: unknown } | null)?.version === 1) {
    throw new Error(`${profilePath(dir)} was made by a Warbler without end-to-end encryption; register or link this device again in a new profile folder`);
  }
  const parsed = ProfileFile.safeParse(json);
  if (!parsed.success) throw new Error(`${profilePath(dir)} is not a Warbler profile: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

/** undefined when the folder holds no profile yet; needs no key. */
export function readProfileInfo(dir: string): ProfileInfo | undefined {
  const file = readProfileFile(dir);
  return (
    file && { serverUrl: file.serverUrl, username: file.username, deviceKey: file.identity.publicKey, plaintextSecrets: file.version === 2 }
  );
}

const context = (role: 'identity' | 'account', publicKey: string) => `warbler-profile-v3\n${role}\n${publicKey}`;

function seal(key: HistoryKey, role: 'identity' | 'account', pair: IdentityKeyPair): z.infer<typeof SealedKeyPair> {
  return { publicKey: pair.publicKey, sealedSecretKey: sealWithKey(key.profileKey, fromB64(pair.secretKey), context(role, pair.publicKey)) };
}

function unseal(key: HistoryKey, role: 'identity' | 'account', sealed: z.infer<typeof SealedKeyPair>, file: string): IdentityKeyPair {
  const secret = openWithKey(key.profileKey, sealed.sealedSecretKey, context(role, sealed.publicKey));
  // The secret must be the public key's own: a box swapped in from elsewhere is refused too.
  if (!secret || publicKeyOf(secret) !== sealed.publicKey) {
    throw new Error(`the ${role} key in ${file} does not open with this history key`);
  }
  return { publicKey: sealed.publicKey, secretKey: toB64(secret) };
}

/**
 * undefined when the folder holds no profile yet; throws with a clear reason when the file is
 * damaged or the key is not its own. A profile from before encryption at rest (its secrets in
 * clear) is sealed with the key as it is read.
 */
export function readProfile(dir: string, key: HistoryKey): Profile | undefined {
  const file = readProfileFile(dir);
  if (!file) return undefined;
  if (file.version === 2) {
    const profile = { serverUrl: file.serverUrl, username: file.username, identity: file.identity, account: file.account };
    writeProfile(dir, profile, key);
    return profile;
  }
  return {
    serverUrl: file.serverUrl,
    username: file.username,
    identity: unseal(key, 'identity', file.identity, profilePath(dir)),
    account: unseal(key, 'account', file.account, profilePath(dir)),
  };
}

export function writeProfile(dir: string, profile: Profile, key: HistoryKey): Profile {
  const value = ProfileFileV3.parse({
    version: 3,
    serverUrl: profile.serverUrl,
    username: profile.username,
    identity: seal(key, 'identity', profile.identity),
    account: seal(key, 'account', profile.account),
  });
  writeFileAtomic(profilePath(dir), `${JSON.stringify(value, null, 2)}\n`);
  return { ...profile, username: value.username };
}
