// Prekeys in SQLite: a signed prekey per device and its one-time prekeys, each handed out once.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Bundle, PreKeyUpload } from '../../../shared/protocol.js';
import { MAX_ONE_TIME_PREKEYS, type PreKeyStore } from '../prekey-store.js';
import type { SqliteDeviceRows } from './device-rows.js';
import type { GroupCommit } from './group-commit.js';

type Bundles = { bundles: Bundle[]; remaining: Record<string, number> };

function statements(db: Database.Database) {
  return {
    upsertSignedPreKey: db.prepare(
      `INSERT INTO signed_prekeys (device, id, public_key, signature) VALUES (?, ?, ?, ?)
       ON CONFLICT(device) DO UPDATE SET id = excluded.id, public_key = excluded.public_key, signature = excluded.signature`,
    ),
    signedPreKey: db.prepare('SELECT id, public_key, signature FROM signed_prekeys WHERE device = ?'),
    insertOneTimePreKey: db.prepare('INSERT OR REPLACE INTO one_time_prekeys (device, id, public_key) VALUES (?, ?, ?)'),
    takeOneTimePreKey: db.prepare(
      `DELETE FROM one_time_prekeys WHERE device = @device AND id = (SELECT min(id) FROM one_time_prekeys WHERE device = @device)
       RETURNING id, public_key`,
    ),
    preKeyCount: db.prepare('SELECT count(*) FROM one_time_prekeys WHERE device = ?').pluck(),
  };
}

export class SqlitePreKeyStore implements PreKeyStore {
  private readonly q: ReturnType<typeof statements>;
  private readonly storeTx: (device: string, upload: PreKeyUpload) => number;
  private readonly takeBundlesTx: (username: string, devices: string[]) => Bundles;

  constructor(
    db: Database.Database,
    private readonly writes: GroupCommit,
    private readonly devices: SqliteDeviceRows,
  ) {
    this.q = statements(db);
    this.storeTx = db.transaction((device: string, upload: PreKeyUpload) => this.storeSync(device, upload));
    this.takeBundlesTx = db.transaction((username: string, devices: string[]) => this.takeBundlesSync(username, devices));
  }

  /** Stores an upload inside the caller's transaction (a new device's first prekeys); returns the one-time count. */
  storeSync(device: string, upload: PreKeyUpload): number {
    const spk = upload.signedPreKey;
    if (spk) this.q.upsertSignedPreKey.run(device, spk.id, spk.publicKey, spk.signature);
    for (const opk of upload.oneTimePreKeys) this.q.insertOneTimePreKey.run(device, opk.id, opk.publicKey);
    const count = this.q.preKeyCount.get(device) as number;
    if (count > MAX_ONE_TIME_PREKEYS) throw new RangeError(`a device keeps at most ${MAX_ONE_TIME_PREKEYS} one-time prekeys`);
    return count;
  }

  private takeBundlesSync(username: string, devices: string[]): Bundles {
    const own = new Set(this.devices.keysOf(username));
    const bundles: Bundle[] = [];
    const remaining: Record<string, number> = {};
    for (const device of new Set(devices)) {
      if (!own.has(device)) continue;
      const spk = this.q.signedPreKey.get(device) as { id: number; public_key: string; signature: string } | undefined;
      if (!spk) continue;
      const opk = this.q.takeOneTimePreKey.get({ device }) as { id: number; public_key: string } | undefined;
      bundles.push({
        device,
        signedPreKey: { id: spk.id, publicKey: spk.public_key, signature: spk.signature },
        oneTimePreKey: opk ? { id: opk.id, publicKey: opk.public_key } : null,
      });
      remaining[device] = this.q.preKeyCount.get(device) as number;
    }
    return { bundles, remaining };
  }

  storePreKeys(device: string, upload: PreKeyUpload): Promise<number> {
    return this.writes.write(() => this.storeTx(device, upload));
  }

  async preKeyCount(device: string): Promise<number> {
    return this.q.preKeyCount.get(device) as number;
  }

  takeBundles(username: string, devices: string[]): Promise<Bundles> {
    // A first message to a big group asks for many bundles at once: one fsync for all of them.
    return this.writes.write(() => this.takeBundlesTx(username, devices));
  }
}
