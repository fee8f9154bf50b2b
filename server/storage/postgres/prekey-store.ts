// Prekeys in PostgreSQL: a signed prekey per device and its one-time prekeys, each handed out once,
// even when several nodes hand out bundles of the same device at the same moment.
import { z } from 'zod';
import type { Bundle, PreKeyUpload } from '../../../shared/protocol.js';
import { MAX_ONE_TIME_PREKEYS, type PreKeyStore } from '../prekey-store.js';
import type { PgDatabase } from './database.js';
import { firstRow, int8, rows, type Queryable } from './rows.js';

type Bundles = { bundles: Bundle[]; remaining: Record<string, number> };

const Count = z.object({ count: int8 });
const SignedRow = z.object({ device: z.string(), id: z.number().int(), public_key: z.string(), signature: z.string() });
const TakenRow = z.object({ id: z.number().int().nullable(), public_key: z.string().nullable(), remaining: int8 });

export class PgPreKeyStore implements PreKeyStore {
  constructor(private readonly db: PgDatabase) {}

  /** Stores an upload inside the caller's transaction (a new device's first prekeys too); returns the one-time count. */
  async storeIn(client: Queryable, device: string, upload: PreKeyUpload): Promise<number> {
    // Two uploads of one device, on two nodes, must not both pass the cap: they take turns. (Not a
    // key lock: inserting prekeys, which checks the foreign key, goes on beside it.)
    await client.query('SELECT 1 FROM devices WHERE identity_key = $1 FOR NO KEY UPDATE', [device]);
    const spk = upload.signedPreKey;
    if (spk) {
      await client.query(
        `INSERT INTO signed_prekeys (device, id, public_key, signature) VALUES ($1, $2, $3, $4)
         ON CONFLICT (device) DO UPDATE SET id = excluded.id, public_key = excluded.public_key, signature = excluded.signature`,
        [device, spk.id, spk.publicKey, spk.signature],
      );
    }
    // A repeated id keeps its last key, as SQLite's INSERT OR REPLACE does (one statement may not change a row twice).
    const oneTime = new Map(upload.oneTimePreKeys.map((opk) => [opk.id, opk.publicKey]));
    if (oneTime.size > 0) {
      await client.query(
        `INSERT INTO one_time_prekeys (device, id, public_key) SELECT $1, id, public_key FROM unnest($2::int[], $3::text[]) AS u(id, public_key)
         ON CONFLICT (device, id) DO UPDATE SET public_key = excluded.public_key`,
        [device, [...oneTime.keys()], [...oneTime.values()]],
      );
    }
    const count = await this.countOn(client, device);
    if (count > MAX_ONE_TIME_PREKEYS) throw new RangeError(`a device keeps at most ${MAX_ONE_TIME_PREKEYS} one-time prekeys`);
    return count;
  }

  storePreKeys(device: string, upload: PreKeyUpload): Promise<number> {
    return this.db.transaction((client) => this.storeIn(client, device, upload));
  }

  preKeyCount(device: string): Promise<number> {
    return this.countOn(this.db.pool, device);
  }

  private async countOn(db: Queryable, device: string): Promise<number> {
    const row = await firstRow(db, Count, {
      name: 'prekey-count',
      text: 'SELECT count(*) AS count FROM one_time_prekeys WHERE device = $1',
      values: [device],
    });
    return row?.count ?? 0;
  }

  takeBundles(username: string, devices: string[]): Promise<Bundles> {
    return this.db.transaction(async (client) => {
      const signed = await rows(client, SignedRow, {
        name: 'prekey-signed-of',
        text: `SELECT s.device, s.id, s.public_key, s.signature FROM signed_prekeys s JOIN devices d ON d.identity_key = s.device
               WHERE d.username = $1 AND s.device = ANY($2::text[])`,
        values: [username, devices],
      });
      const spks = new Map(signed.map((s) => [s.device, s]));
      const bundles: Bundle[] = [];
      const remaining: Record<string, number> = {};
      for (const device of new Set(devices)) {
        const spk = spks.get(device);
        if (!spk) continue;
        const taken = await this.takeOneTime(client, device);
        bundles.push({
          device,
          signedPreKey: { id: spk.id, publicKey: spk.public_key, signature: spk.signature },
          oneTimePreKey: taken.id !== null && taken.public_key !== null ? { id: taken.id, publicKey: taken.public_key } : null,
        });
        remaining[device] = taken.remaining;
      }
      return { bundles, remaining };
    });
  }

  /**
   * Deletes and returns the device's lowest one-time prekey not being handed out by another node
   * right now (SKIP LOCKED: it takes the next rather than waiting and then finding its pick gone),
   * with how many are left.
   */
  private async takeOneTime(client: Queryable, device: string): Promise<z.output<typeof TakenRow>> {
    const row = await firstRow(client, TakenRow, {
      name: 'prekey-take-one-time',
      text: `WITH taken AS (
               DELETE FROM one_time_prekeys WHERE device = $1 AND id = (
                 SELECT id FROM one_time_prekeys WHERE device = $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
               ) RETURNING id, public_key
             )
             SELECT taken.id, taken.public_key,
                    (SELECT count(*) FROM one_time_prekeys WHERE device = $1) - (SELECT count(*) FROM taken) AS remaining
             FROM (SELECT 1) AS one LEFT JOIN taken ON true`,
      values: [device],
    });
    return row ?? { id: null, public_key: null, remaining: 0 };
  }
}
