// A key file holds the history key itself, as 64 hex digits on one line: the key source of the
// CLI, the web host and bots, where no OS keyring is at hand. Whoever reads it reads the history,
// so it is made 0600 and refused when other users may read it (as ssh refuses such a key).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { HistoryKey } from './history-key.js';

export const KEY_FILE = 'history.key';

const KeyFileText = z.string().regex(/^[0-9a-f]{64}\r?\n?$/i, 'a key file is 64 hex digits on one line');

export const defaultKeyFile = (dir: string): string => path.join(dir, KEY_FILE);

/** undefined when there is no such file; throws with a clear reason when it is not a key file or is open to others. */
export function readKeyFile(file: string): HistoryKey | undefined {
  let text: string;
  try {
    if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
      throw new Error(`${file} can be read by other users: make it private (chmod 600 ${file})`);
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const parsed = KeyFileText.safeParse(text);
  const key = parsed.success ? HistoryKey.fromBytes(Buffer.from(parsed.data.trim(), 'hex')) : undefined;
  if (!key) throw new Error(`${file} is not a Warbler key file (64 hex digits on one line)`);
  return key;
}

/** Writes a new key file, 0600; never replaces one (that would orphan the history it opens). */
export function createKeyFile(file: string, key: HistoryKey): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, `${key.toHex()}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
