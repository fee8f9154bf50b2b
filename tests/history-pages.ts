// Every page of an encrypted history file, decrypted with its key as someone with the disk and the
// key would read it: the pages in use and the free ones alike, which SQLite itself never shows.
// SQLCipher 4 as the history writes it: 4096-byte pages, each ending in 80 reserved bytes (a 16-byte
// IV, then the HMAC); AES-256-CBC over the rest, page 1's first 16 bytes being the salt in clear.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HISTORY_FILE } from '../core/profile.js';
import { historyKey } from '../core/vault/vault.js';

const PAGE = 4096;
const RESERVED = 80;
const SALT = 16;

export async function decryptedPages(profileDir: string): Promise<Buffer> {
  const key = Buffer.from((await historyKey(profileDir, { kind: 'key-file' })).toHex(), 'hex');
  const file = fs.readFileSync(path.join(profileDir, HISTORY_FILE));
  const pages: Buffer[] = [];
  for (let at = 0; at + PAGE <= file.length; at += PAGE) {
    const page = file.subarray(at, at + PAGE);
    const start = at === 0 ? SALT : 0;
    const iv = page.subarray(PAGE - RESERVED, PAGE - RESERVED + 16);
    const decipher = crypto.createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
    pages.push(decipher.update(page.subarray(start, PAGE - RESERVED)), decipher.final());
  }
  return Buffer.concat(pages);
}
