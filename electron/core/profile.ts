// A profile is one device's identity and settings in a folder: profile.json (0600) and history.sqlite.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IdentityKey, Username, describeZodError } from '../../shared/protocol.js';
import type { IdentityKeyPair } from '../../shared/crypto.js';

const KeyPair = z.object({ publicKey: IdentityKey, secretKey: z.string().regex(/^[A-Za-z0-9_-]{86}$/) });
const ProfileFile = z.object({
  version: z.literal(2),
  serverUrl: z.string().url(),
  username: Username,
  /** This device's identity key. */
  identity: KeyPair,
  /** The account key every device of the account holds: it certifies them, and safety numbers compare it. */
  account: KeyPair,
});
export type Profile = z.infer<typeof ProfileFile>;

export const PROFILE_FILE = 'profile.json';
export const HISTORY_FILE = 'history.sqlite';

export function profilePath(dir: string): string {
  return path.join(dir, PROFILE_FILE);
}

/** undefined when the folder holds no profile yet; throws with a clear reason when the file is damaged. */
export function readProfile(dir: string): Profile | undefined {
  let text: string;
  try {
    text = fs.readFileSync(profilePath(dir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
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

export function writeProfile(
  dir: string,
  profile: { serverUrl: string; username: string; identity: IdentityKeyPair; account: IdentityKeyPair },
): Profile {
  const value = ProfileFile.parse({ version: 2, ...profile });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = profilePath(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return value;
}
