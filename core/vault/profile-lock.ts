// One Warbler process per profile folder: two that share one (the app and the CLI, a web host and a
// bot) would each make keys, migrate the history or reset it under the other's feet. profile.lock
// holds the pid of the process that has the folder; a lock whose process is gone is taken over.
// Within one process the lock is counted, so the vault, the history and a short-lived key lookup
// can each hold it.
import fs from 'node:fs';
import path from 'node:path';
import type { ErrorCode } from '../../shared/errors.js';
import { readTextIfExists } from '../atomic-file.js';

export const LOCK_FILE = 'profile.lock';

export class ProfileInUseError extends Error {
  readonly code: ErrorCode = 'in_use';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(`this profile is open in another Warbler process (pid ${pid}): ${dir}`);
  }
}

const held = new Map<string, number>();
let releaseOnExit = false;

/** Takes the folder's lock (or counts one more holder in this process); returns its release, which is idempotent. */
export function lockProfile(dir: string): () => void {
  const resolved = path.resolve(dir);
  const count = held.get(resolved);
  if (count !== undefined) held.set(resolved, count + 1);
  else {
    take(resolved);
    held.set(resolved, 1);
    if (!releaseOnExit) {
      releaseOnExit = true;
      process.once('exit', () => {
        for (const folder of held.keys()) removeOwnLock(folder);
      });
    }
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(resolved) ?? 1) - 1;
    if (left > 0) return void held.set(resolved, left);
    held.delete(resolved);
    removeOwnLock(resolved);
  };
}

function take(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = path.join(dir, LOCK_FILE);
  // Written whole beside the lock, then linked into place: the lock never exists without its pid.
  const tmp = `${lock}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${process.pid}\n`, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(tmp, lock);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = readPid(lock);
      if (owner === undefined) continue; // removed in between: try again
      if (owner !== process.pid && isAlive(owner)) throw new ProfileInUseError(dir, owner);
      removeStale(lock, owner);
    }
    throw new Error(`could not take ${lock}: other processes keep changing it`);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * Removes a lock left by a process that is gone, but only that one: it is renamed aside first and
 * checked, so a lock another process took over in the meantime is put back.
 */
function removeStale(lock: string, stalePid: number | 'damaged'): void {
  const aside = `${lock}.${process.pid}.stale`;
  try {
    fs.renameSync(lock, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (readPid(aside) !== stalePid) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // Yet another process holds it now; it stays theirs.
    }
  }
  fs.rmSync(aside, { force: true });
}

/** The pid in a lock file; 'damaged' when it holds none; undefined when there is no file. */
function readPid(file: string): number | 'damaged' | undefined {
  const text = readTextIfExists(file);
  if (text === undefined) return undefined;
  return /^\d{1,10}\n?$/.test(text) ? Number(text.trim()) : 'damaged';
}

function isAlive(pid: number | 'damaged'): pid is number {
  if (pid === 'damaged') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user's process.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeOwnLock(dir: string): void {
  const lock = path.join(dir, LOCK_FILE);
  try {
    if (readPid(lock) === process.pid) fs.rmSync(lock, { force: true });
  } catch {
    // Left behind: the next process sees that this pid is gone and takes it over.
  }
}
