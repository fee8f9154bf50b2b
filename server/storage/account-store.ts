// Accounts and their devices. A device *is* its Ed25519 identity key, certified by the account key.
import type { AccountDevices, PreKeyUpload, SignedPreKey } from '../../shared/protocol.js';

export interface Device {
  identityKey: string;
  username: string;
  createdAt: number;
}

export type RegisterResult = { ok: true } | { ok: false; reason: 'username_taken' | 'device_exists' };

/** A new device: its key, the account key's certificate for it, and its first prekeys. */
export interface NewDevice {
  identityKey: string;
  certificate: string;
  preKeys: PreKeyUpload & { signedPreKey: SignedPreKey };
}

export interface AccountStore {
  /** Creates the account with its first device and that device's prekeys, all or nothing. */
  registerAccount(username: string, accountKey: string, device: NewDevice, now: number): Promise<RegisterResult>;
  /** Adds a device, with its prekeys, to an existing account (device linking). */
  addDevice(username: string, device: NewDevice, now: number): Promise<RegisterResult>;
  deviceByKey(identityKey: string): Promise<Device | undefined>;
  /** Current devices of an account; empty when the account does not exist. */
  devicesOf(username: string): Promise<string[]>;
  /** The account key and its certified devices; undefined when there is no such account. */
  account(username: string): Promise<AccountDevices | undefined>;
  /** Unlinks a device: it, its queue and its prekeys are deleted. False when it is not this account's. */
  removeDevice(username: string, device: string): Promise<boolean>;
  /**
   * Deletes an account, its devices, queues, prekeys and presence so the username can be
   * registered again. False when there is no such account.
   */
  resetAccount(username: string): Promise<boolean>;
}
