// A profile is one device's identity and settings in a folder: profile.json (0600) and history.sqlite.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { IdentityKey, Username, describeZodError } from '../../shared/protocol.js';
import type { IdentityKeyPair } from '../../shared/crypto.js';

const ProfileFile = z.object({
  version: z.literal(1),
  serverUrl: z.string().url(),
  username: Username,
  identity: z.object({ publicKey: IdentityKey, secretKey: z.string().regex(/^[A-Za-z0-9_-]{86}$/) }),
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
  const parsed = ProfileFile.safeParse(json);
  if (!parsed.success) throw new Error(`${profilePath(dir)} is not a Warbler profile: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export function writeProfile(dir: string, profile: { serverUrl: string; username: string; identity: IdentityKeyPair }): Profile {
  const value = ProfileFile.parse({ version: 1, ...profile });
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = profilePath(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
  return value;
}
