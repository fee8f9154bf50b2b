// Accounts and devices in SQLite. Registering and linking also store the device's first prekeys;
// unlinking and resetting also empty queues (and a reset forgets presence): each is one transaction,
// through the other stores' synchronous row operations on the same connection.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { AccountDevices } from '../../../shared/protocol.js';
import type { AccountStore, Device, NewDevice, RegisterResult } from '../account-store.js';
import type { SqliteDeviceRows } from './device-rows.js';
import type { SqlitePreKeyStore } from './prekey-store.js';
import type { SqlitePresenceStore } from './presence-store.js';
import type { QueueRows } from './queue-store.js';
import type { OtherWriters, RowCache } from './row-cache.js';

export interface AccountRelations {
  devices: SqliteDeviceRows;
  preKeys: SqlitePreKeyStore;
  queues: QueueRows;
  presence: SqlitePresenceStore;
}

function statements(db: Database.Database) {
  return {
    insertAccount: db.prepare('INSERT INTO accounts (username, account_key, created_at) VALUES (?, ?, ?)'),
    accountExists: db.prepare('SELECT 1 FROM accounts WHERE username = ?').pluck(),
    accountKey: db.prepare('SELECT account_key FROM accounts WHERE username = ?').pluck(),
    deleteAccount: db.prepare('DELETE FROM accounts WHERE username = ?'),
    insertDevice: db.prepare('INSERT INTO devices (identity_key, username, certificate, created_at) VALUES (?, ?, ?, ?)'),
    deleteDevice: db.prepare('DELETE FROM devices WHERE identity_key = ? AND username = ?'),
  };
}

export class SqliteAccountStore implements AccountStore {
  private readonly q: ReturnType<typeof statements>;
  private readonly registerTx: (username: string, accountKey: string, device: NewDevice, now: number) => RegisterResult;
  private readonly addDeviceTx: (username: string, device: NewDevice, now: number) => RegisterResult;
  private readonly removeDeviceTx: (username: string, device: string) => boolean;
  private readonly resetTx: (username: string) => boolean;
  /** Account keys: set once at registration, gone with a reset. */
  private readonly accountKeys: RowCache<string>;

  constructor(
    db: Database.Database,
    private readonly related: AccountRelations,
    others: OtherWriters,
  ) {
    this.accountKeys = others.cache();
    const q = statements(db);
    this.q = q;
    const { devices, queues, presence } = related;
    this.registerTx = db.transaction((username: string, accountKey: string, device: NewDevice, now: number): RegisterResult => {
      if (devices.byKey(device.identityKey)) return { ok: false, reason: 'device_exists' };
      if (q.accountExists.get(username)) return { ok: false, reason: 'username_taken' };
      q.insertAccount.run(username, accountKey, now);
      this.insertDevice(username, device, now);
      return { ok: true };
    });
    this.addDeviceTx = db.transaction((username: string, device: NewDevice, now: number): RegisterResult => {
      if (devices.byKey(device.identityKey)) return { ok: false, reason: 'device_exists' };
      this.insertDevice(username, device, now);
      return { ok: true };
    });
    // Prekeys go with the device (ON DELETE CASCADE); its queue has no foreign key to it.
    this.removeDeviceTx = db.transaction((username: string, device: string): boolean => {
      if (q.deleteDevice.run(device, username).changes === 0) return false;
      devices.changed(username, [device]);
      queues.forgetDeviceSync(device);
      return true;
    });
    this.resetTx = db.transaction((username: string): boolean => {
      if (!q.accountExists.get(username)) return false;
      const keys = devices.keysOf(username);
      for (const key of keys) {
        q.deleteDevice.run(key, username);
        queues.forgetDeviceSync(key);
      }
      devices.changed(username, keys);
      presence.forgetSync(username);
      q.deleteAccount.run(username);
      this.accountKeys.forget(username);
      return true;
    });
  }

  private insertDevice(username: string, device: NewDevice, now: number): void {
    this.q.insertDevice.run(device.identityKey, username, device.certificate, now);
    this.related.devices.changed(username, [device.identityKey]);
    this.related.preKeys.storeSync(device.identityKey, device.preKeys);
  }

  async registerAccount(username: string, accountKey: string, device: NewDevice, now: number): Promise<RegisterResult> {
    return this.registerTx(username, accountKey, device, now);
  }

  async addDevice(username: string, device: NewDevice, now: number): Promise<RegisterResult> {
    return this.addDeviceTx(username, device, now);
  }

  async deviceByKey(identityKey: string): Promise<Device | undefined> {
    return this.related.devices.byKey(identityKey);
  }

  async devicesOf(username: string): Promise<string[]> {
    return [...this.related.devices.keysOf(username)];
  }

  async account(username: string): Promise<AccountDevices | undefined> {
    const accountKey = this.accountKeys.get(username, () => this.q.accountKey.get(username) as string | undefined);
    if (accountKey === undefined) return undefined;
    return { accountKey, devices: [...this.related.devices.certified(username)] };
  }

  async removeDevice(username: string, device: string): Promise<boolean> {
    return this.removeDeviceTx(username, device);
  }

  async resetAccount(username: string): Promise<boolean> {
    return this.resetTx(username);
  }
}
