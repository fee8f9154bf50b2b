// Accounts and devices in PostgreSQL. Registering and linking also store the device's first
// prekeys; unlinking and resetting also empty queues (and a reset forgets presence): each is one
// transaction, through the other stores' operations on the same connection, as in SQLite.
import { z } from 'zod';
import type { AccountDevices } from '../../../shared/protocol.js';
import type { AccountStore, Device, NewDevice, RegisterResult } from '../account-store.js';
import type { PgDatabase } from './database.js';
import { deviceByKey, deviceKeysOf } from './device-rows.js';
import type { PgPreKeyStore } from './prekey-store.js';
import type { PgPresenceStore } from './presence-store.js';
import type { PgQueueStore } from './queue-store.js';
import { changes, rows, type Queryable } from './rows.js';

export interface PgAccountRelations {
  preKeys: PgPreKeyStore;
  queues: PgQueueStore;
  presence: PgPresenceStore;
}

const AccountRow = z.object({ account_key: z.string(), identity_key: z.string().nullable(), certificate: z.string().nullable() });

/** Ends a transaction with an answer, undoing what it wrote. */
class Refusal {
  constructor(readonly result: RegisterResult) {}
}

export class PgAccountStore implements AccountStore {
  constructor(
    private readonly db: PgDatabase,
    private readonly related: PgAccountRelations,
  ) {}

  /** Runs a registration; a Refusal thrown inside it rolls it back and is its answer. */
  private async registering(fn: (client: Queryable) => Promise<void>): Promise<RegisterResult> {
    try {
      await this.db.transaction(fn);
      return { ok: true };
    } catch (err) {
      if (err instanceof Refusal) return err.result;
      throw err;
    }
  }

  /**
   * Adds the device and its prekeys. The key is claimed with ON CONFLICT, not checked first: two
   * nodes registering one key at once get one device and one refusal.
   */
  private async insertDevice(client: Queryable, username: string, device: NewDevice, now: number): Promise<void> {
    const added = await changes(client, {
      text: `INSERT INTO devices (identity_key, username, certificate, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (identity_key) DO NOTHING`,
      values: [device.identityKey, username, device.certificate, now],
    });
    if (added === 0) throw new Refusal({ ok: false, reason: 'device_exists' });
    await this.related.preKeys.storeIn(client, device.identityKey, device.preKeys);
  }

  registerAccount(username: string, accountKey: string, device: NewDevice, now: number): Promise<RegisterResult> {
    return this.registering(async (client) => {
      // A known device is the first answer, as in SQLite, even when the name is taken too.
      if (await deviceByKey(client, device.identityKey)) throw new Refusal({ ok: false, reason: 'device_exists' });
      const created = await changes(client, {
        text: 'INSERT INTO accounts (username, account_key, created_at) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING',
        values: [username, accountKey, now],
      });
      if (created === 0) throw new Refusal({ ok: false, reason: 'username_taken' });
      await this.insertDevice(client, username, device, now);
    });
  }

  addDevice(username: string, device: NewDevice, now: number): Promise<RegisterResult> {
    return this.registering((client) => this.insertDevice(client, username, device, now));
  }

  deviceByKey(identityKey: string): Promise<Device | undefined> {
    return deviceByKey(this.db.pool, identityKey);
  }

  devicesOf(username: string): Promise<string[]> {
    return deviceKeysOf(this.db.pool, username);
  }

  async account(username: string): Promise<AccountDevices | undefined> {
    // One statement, so one snapshot: the key and the devices are of the same account.
    const found = await rows(this.db.pool, AccountRow, {
      name: 'account-with-devices',
      text: `SELECT a.account_key, d.identity_key, d.certificate FROM accounts a LEFT JOIN devices d ON d.username = a.username
             WHERE a.username = $1 ORDER BY d.created_at, d.identity_key`,
      values: [username],
    });
    if (found.length === 0) return undefined;
    const devices = found.flatMap((r) => (r.identity_key !== null && r.certificate !== null ? [{ key: r.identity_key, certificate: r.certificate }] : []));
    return { accountKey: found[0]!.account_key, devices };
  }

  // Prekeys go with the device (ON DELETE CASCADE); its queue has no foreign key to it.
  removeDevice(username: string, device: string): Promise<boolean> {
    return this.db.transaction(async (client) => {
      const removed = await changes(client, { text: 'DELETE FROM devices WHERE identity_key = $1 AND username = $2', values: [device, username] });
      if (removed === 0) return false;
      await this.related.queues.forgetDevicesIn(client, [device]);
      return true;
    });
  }

  resetAccount(username: string): Promise<boolean> {
    return this.db.transaction(async (client) => {
      // Held until the reset commits: a device being linked to the account meanwhile waits, then
      // finds no account (its foreign key fails) rather than outliving it.
      const held = await client.query('SELECT 1 FROM accounts WHERE username = $1 FOR UPDATE', [username]);
      if (held.rowCount === 0) return false;
      const keys = await deviceKeysOf(client, username);
      await client.query('DELETE FROM devices WHERE username = $1', [username]);
      await this.related.queues.forgetDevicesIn(client, keys);
      await this.related.presence.forgetIn(client, username);
      await client.query('DELETE FROM accounts WHERE username = $1', [username]);
      return true;
    });
  }
}
