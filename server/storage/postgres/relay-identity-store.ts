// The relay's own Ed25519 key in PostgreSQL: one for every node of the relay. Nodes starting
// together may each make one; the first to commit is kept and every node reads that one back.
import { z } from 'zod';
import type { RelayIdentityStore, RelayKeyPair } from '../relay-identity-store.js';
import type { PgDatabase } from './database.js';
import { firstRow } from './rows.js';

const KeyRow = z.object({ public_key: z.string(), secret_key: z.string() });
const SELECT = { text: 'SELECT public_key, secret_key FROM relay_identity WHERE id = 1' };

export class PgRelayIdentityStore implements RelayIdentityStore {
  constructor(private readonly db: PgDatabase) {}

  async loadOrCreate(create: () => RelayKeyPair): Promise<RelayKeyPair> {
    const kept = await firstRow(this.db.pool, KeyRow, SELECT);
    if (kept) return { publicKey: kept.public_key, secretKey: kept.secret_key };
    const made = create();
    // A node that loses the race waits here for the winner's commit, then inserts nothing.
    await this.db.pool.query('INSERT INTO relay_identity (id, public_key, secret_key) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING', [
      made.publicKey,
      made.secretKey,
    ]);
    const row = await firstRow(this.db.pool, KeyRow, SELECT);
    if (!row) throw new Error('the relay key was neither found nor stored');
    return { publicKey: row.public_key, secretKey: row.secret_key };
  }
}
