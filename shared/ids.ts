import { randomBytes, toB64 } from './crypto.js';

/**
 * A random id, base64url (22 characters), never starting with "-": ids are typed into the CLI
 * (`warbler download ID`), where a leading "-" reads as an option. Needs loadSodium() first.
 */
export function newId(): string {
  for (;;) {
    const id = toB64(randomBytes(16));
    // One draw in 64 starts with "-"; drawing again keeps every id uniformly random.
    if (!id.startsWith('-')) return id;
  }
}
