// Reads of the devices table that several PostgreSQL stores make, some inside their own
// transactions (the account store, acks that queue receipts, bundle hand-outs). Nothing is kept in
// memory: other nodes change devices too.
import { z } from 'zod';
import type { Device } from '../account-store.js';
import { int8, rows, type Queryable } from './rows.js';

const DeviceRow = z.object({ identity_key: z.string(), username: z.string(), created_at: int8 });
const KeyRow = z.object({ identity_key: z.string() });
const OwnedRow = z.object({ identity_key: z.string(), username: z.string() });

export async function deviceByKey(db: Queryable, identityKey: string): Promise<Device | undefined> {
  const [row] = await rows(db, DeviceRow, {
    name: 'device-by-key',
    text: 'SELECT identity_key, username, created_at FROM devices WHERE identity_key = $1',
    values: [identityKey],
  });
  return row && { identityKey: row.identity_key, username: row.username, createdAt: row.created_at };
}

/** The account's device keys, oldest first. */
export async function deviceKeysOf(db: Queryable, username: string): Promise<string[]> {
  const found = await rows(db, KeyRow, {
    name: 'device-keys-of',
    text: 'SELECT identity_key FROM devices WHERE username = $1 ORDER BY created_at, identity_key',
    values: [username],
  });
  return found.map((r) => r.identity_key);
}

/** The device keys of each of these accounts, oldest first (accounts without devices are left out). */
export async function deviceKeysOfAll(db: Queryable, usernames: string[]): Promise<Map<string, string[]>> {
  const found = await rows(db, OwnedRow, {
    text: 'SELECT identity_key, username FROM devices WHERE username = ANY($1::text[]) ORDER BY created_at, identity_key',
    values: [usernames],
  });
  const byAccount = new Map<string, string[]>();
  for (const { identity_key, username } of found) byAccount.set(username, [...(byAccount.get(username) ?? []), identity_key]);
  return byAccount;
}
