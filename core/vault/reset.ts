// The way back from a locked history with no passphrase: the profile's files go to a folder beside
// them (never deleted: with the old keyring back, they open again), and the profile starts fresh.
// A marker names that folder while the files move, so a reset that stopped halfway is finished on
// the next open.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { syncDir, writeFileAtomic } from '../atomic-file.js';
import { HISTORY_FILE, PROFILE_FILE } from '../profile.js';
import { ENVELOPE_FILE } from './envelope.js';
import { KEY_FILE } from './key-file.js';

/**
 * Files of a profile that a reset sets aside (all of them: none is deleted), in this order: the
 * database's side files before the database (never a database without its WAL while the WAL is
 * left behind to be mixed with a new one), and the envelope last, so that until the end the folder
 * still reads as the locked profile it was.
 */
const RESET_ORDER = [
  `${HISTORY_FILE}-wal`,
  `${HISTORY_FILE}-shm`,
  `${HISTORY_FILE}-journal`,
  `${HISTORY_FILE}.encrypting`,
  `${HISTORY_FILE}.encrypting-journal`,
  HISTORY_FILE,
  KEY_FILE,
  PROFILE_FILE,
  ENVELOPE_FILE,
];

const RESET_MARKER = 'reset-pending';
const ResetMarker = z.string().regex(/^set-aside-[0-9TZ-]+\n?$/);

/** Moves the profile's files to a new set-aside folder beside them; returns that folder. */
export function setAside(dir: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const name = `set-aside-${stamp}`;
  fs.mkdirSync(path.join(dir, name), { mode: 0o700 });
  writeFileAtomic(path.join(dir, RESET_MARKER), `${name}\n`);
  finishPendingReset(dir);
  return path.join(dir, name);
}

/** Moves what is left of the profile to the folder the marker names, then drops the marker. */
export function finishPendingReset(dir: string): void {
  const marker = path.join(dir, RESET_MARKER);
  let text: string;
  try {
    text = fs.readFileSync(marker, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const parsed = ResetMarker.safeParse(text);
  if (!parsed.success) throw new Error(`${marker} does not name a set-aside folder: move the profile's files aside by hand and delete it`);
  const aside = path.join(dir, parsed.data.trim());
  fs.mkdirSync(aside, { recursive: true, mode: 0o700 });
  // Files half written by a process that stopped (profile.json.<pid>.tmp, …) go with the rest.
  const leftovers = fs.readdirSync(dir).filter((name) => name.endsWith('.tmp') && !name.startsWith('profile.lock'));
  for (const name of [...leftovers, ...RESET_ORDER]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) fs.renameSync(file, path.join(aside, name));
  }
  syncDir(aside);
  syncDir(dir);
  fs.rmSync(marker);
  syncDir(dir);
}
