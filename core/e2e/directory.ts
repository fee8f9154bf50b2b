// Every account's devices, as its account key certifies them. The relay hands out device lists;
// a device whose certificate does not verify against the account key is not one of them, so the
// relay cannot slip in a device of its own. A contact's account key is pinned the first time it is
// seen; a different one later is reported as a change.
import type { Logger } from 'pino';
import { verifyCertificate } from '../../shared/crypto.js';
import type { AccountDevices } from '../../shared/protocol.js';
import type { IdentityStore } from './identities.js';

export interface VerifiedAccount {
  accountKey: string;
  devices: string[];
}

export interface DirectoryDeps {
  /** This account: its own key is known, never learned from the relay. */
  me: { username: string; accountKey: string };
  identities: IdentityStore;
  fetch(username: string): Promise<AccountDevices>;
  /** A contact's account key changed (after it was stored as such). */
  changed(username: string): void;
  log: Logger;
  now(): number;
}

export class Directory {
  private readonly cache = new Map<string, VerifiedAccount>();

  constructor(private readonly deps: DirectoryDeps) {}

  /** The account's certified devices; from the relay when not known yet or when `fresh`. */
  async devices(username: string, fresh = false): Promise<VerifiedAccount> {
    const cached = this.cache.get(username);
    if (cached && !fresh) return cached;
    return this.accept(username, await this.deps.fetch(username));
  }

  /** A device list from the relay (an answer, or a device_mismatch error): verified, pinned, cached. */
  accept(username: string, account: AccountDevices): VerifiedAccount {
    const { me, identities, log, now } = this.deps;
    if (username === me.username && account.accountKey !== me.accountKey) {
      throw new Error('the relay gave a different account key for this account: refusing its device list');
    }
    const devices = account.devices.filter((d) => {
      const ok = verifyCertificate(d.key, d.certificate, account.accountKey);
      if (!ok) log.warn({ username }, 'ignoring a device whose certificate does not verify');
      return ok;
    });
    if (username !== me.username && identities.pin(username, account.accountKey, now()) === 'changed') this.deps.changed(username);
    const verified = { accountKey: account.accountKey, devices: devices.map((d) => d.key) };
    this.cache.set(username, verified);
    return verified;
  }

  /** Whether the device is one of the account's, as last heard (no request). */
  knows(username: string, device: string): boolean {
    return this.cache.get(username)?.devices.includes(device) ?? false;
  }
}
