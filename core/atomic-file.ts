// Files that must never be seen half written (a profile, a key envelope): written beside, synced,
// then renamed over the old one, so a crash leaves either the old file or the new one.
import fs from 'node:fs';
import path from 'node:path';

/** The file's text; undefined when there is no such file (any other failure throws). */
export function readTextIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes `text` to a synced temporary file beside `file` and returns its name. */
function writeBeside(file: string, text: string, mode: number): string {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', mode);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return tmp;
}

export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  fs.renameSync(writeBeside(file, text, mode), file);
  syncDir(path.dirname(file));
}

/**
 * Writes a file that must not replace another: written whole beside it, then linked into place
 * (fails when the name exists, and is never seen half written). False when the file was there.
 */
export function createFileExclusive(file: string, text: string, mode = 0o600): boolean {
  const tmp = writeBeside(file, text, mode);
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  syncDir(path.dirname(file));
  return true;
}

/** The rename itself survives a power cut only once the folder is synced (POSIX; Windows cannot open a folder). */
export function syncDir(dir: string): void {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
