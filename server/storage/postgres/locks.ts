// The advisory locks the PostgreSQL stores take, in one place so that no two uses share a key.
// They are the two-key form, pg_advisory_xact_lock(int, int), whose keys never meet the one-key
// form's (the migration lock, database.ts). A lock is (Warbler's key, its kind); a lock per name
// is (Warbler's key + its kind, the name's hash), so the two shapes never share a pair either.
import type pg from 'pg';

const WARBLER = 0x57617262; // "Warb"

/** Kinds of advisory lock; the second key of each, so never renumber one. */
export const LOCK = {
  /** Push inserts, so that push_messages.seq order is commit order. */
  pushOrder: 1,
  /** The push attachments' total, checked and claimed together. */
  pushAttachmentTotal: 2,
  /** The blob quotas: one lock per owner (hashed: two owners sharing one only wait for each other). */
  blobQuota: 3,
} as const;

/** Takes the lock until the end of the client's transaction; `within` splits a kind into many locks. */
export async function lockUntilCommit(client: pg.PoolClient, kind: number, within?: string): Promise<void> {
  if (within === undefined) await client.query('SELECT pg_advisory_xact_lock($1, $2)', [WARBLER, kind]);
  else await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [WARBLER + kind, within]);
}
