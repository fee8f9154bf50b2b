// A profile whose key envelope is gone while what it opened is not: a key file may still hold the
// key. It counts only if it opens what is there; then the envelope is made again. Never a fresh key
// over encrypted files: it would not open them.
import fs from 'node:fs';
import path from 'node:path';
import { HISTORY_FILE, PROFILE_FILE, readProfile, readProfileInfo } from '../profile.js';
import { isPlaintextDatabase, openEncrypted } from './cipher.js';
import { createEnvelope, newEnvelope, readEnvelope, type Envelope } from './envelope.js';
import type { HistoryKey } from './history-key.js';
import { readKeyFile } from './key-file.js';

/** A key file as a fallback only: one that is damaged or open to others must not stop the app from starting. */
export function keyFileIfSound(file: string): HistoryKey | undefined {
  try {
    return readKeyFile(file);
  } catch {
    return undefined;
  }
}

/** Sealed secrets or an encrypted database: some key made them, and a new one would not open them. */
export function hasEncryptedData(dir: string): boolean {
  const history = path.join(dir, HISTORY_FILE);
  const encryptedHistory = fs.existsSync(history) && fs.statSync(history).size > 0 && !isPlaintextDatabase(history);
  if (encryptedHistory) return true;
  try {
    const info = readProfileInfo(dir);
    return info !== undefined && !info.plaintextSecrets;
  } catch {
    // A damaged profile.json: whatever it held, it is not for a fresh key to overwrite.
    return fs.existsSync(path.join(dir, PROFILE_FILE));
  }
}

function opensExistingData(dir: string, key: HistoryKey): boolean {
  try {
    const info = readProfileInfo(dir);
    if (info && !info.plaintextSecrets) readProfile(dir, key);
    const history = path.join(dir, HISTORY_FILE);
    if (fs.existsSync(history) && !isPlaintextDatabase(history)) openEncrypted(history, key).close();
    return true;
  } catch {
    return false;
  }
}

/**
 * The key from the first of these key files that opens the profile's encrypted files, with the
 * envelope made again for it; undefined when none does (the history is then locked, and a reset is
 * the way on).
 */
export function recoverEnvelope(dir: string, keyFiles: string[]): { key: HistoryKey; envelope: Envelope } | undefined {
  for (const file of new Set(keyFiles)) {
    const key = keyFileIfSound(file);
    if (!key || !opensExistingData(dir, key)) continue;
    let envelope = newEnvelope(key, [{ kind: 'key-file' }]);
    if (!createEnvelope(dir, envelope)) envelope = readEnvelope(dir) ?? envelope;
    if (!key.matches(envelope.check)) return undefined;
    return { key, envelope };
  }
  return undefined;
}
