// Accounts as a send reads them (the account key and its devices), kept on each node of a relay
// on PostgreSQL: every message looked up its recipient and its sender, two round trips of the
// eight a message costs there. An account changes rarely (a device linked or unlinked, a reset),
// and whichever node changes it tells every node over the bus to read it afresh. Were that word
// lost (Redis away), an entry is read again after MAX_AGE_MS anyway, and the whole cache is
// dropped when the bus comes back: a client sealing for devices the relay does not hold yet is
// told device_mismatch, and retries.
import { z } from 'zod';
import type { AccountDevices } from '../../shared/protocol.js';
import { Username } from '../../shared/protocol.js';
import type { AccountStore, NewDevice, RegisterResult } from '../storage/account-store.js';
import type { RedisBus } from './bus.js';

const CHANNEL = 'accounts:changed';
export const MAX_AGE_MS = 10_000;
/** Accounts held at most; the least recently read goes first. */
export const MAX_HELD = 50_000;

const Changed = z.object({ username: Username });

interface Held {
  account: AccountDevices;
  readAt: number;
}

export class CachedAccountStore implements AccountStore {
  private readonly held = new Map<string, Held>();
  /** How many changes this node has heard of: a read begun before one is not kept (changes are rare). */
  private changes = 0;
  private readonly stops: (() => void)[] = [];

  constructor(
    private readonly store: AccountStore,
    private readonly bus: RedisBus,
    private readonly now: () => number = Date.now,
  ) {
    this.stops.push(
      bus.subscribe(CHANNEL, (body) => {
        const parsed = Changed.safeParse(body);
        if (parsed.success) this.forget(parsed.data.username);
      }),
      bus.onReconnect(() => {
        this.held.clear();
        this.changes++;
      }),
    );
  }

  /** Resolves once this node hears of changes made on the others. */
  ready(): Promise<void> {
    return this.bus.subscribed(CHANNEL);
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.held.clear();
  }

  async account(username: string): Promise<AccountDevices | undefined> {
    const held = this.held.get(username);
    if (held && this.now() - held.readAt < MAX_AGE_MS) {
      // Read again, so it is the last to go.
      this.held.delete(username);
      this.held.set(username, held);
      return held.account;
    }
    const before = this.changes;
    const readAt = this.now();
    const account = await this.store.account(username);
    // No account is not kept: registering one is a change too, but nothing is saved by it.
    if (account && this.changes === before) this.keep(username, { account, readAt });
    return account;
  }

  registerAccount(username: string, accountKey: string, device: NewDevice, now: number): Promise<RegisterResult> {
    return this.changing(username, this.store.registerAccount(username, accountKey, device, now));
  }

  addDevice(username: string, device: NewDevice, now: number): Promise<RegisterResult> {
    return this.changing(username, this.store.addDevice(username, device, now));
  }

  removeDevice(username: string, device: string): Promise<boolean> {
    return this.changing(username, this.store.removeDevice(username, device));
  }

  resetAccount(username: string): Promise<boolean> {
    return this.changing(username, this.store.resetAccount(username));
  }

  deviceByKey(identityKey: string) {
    return this.store.deviceByKey(identityKey);
  }

  devicesOf(username: string): Promise<string[]> {
    return this.store.devicesOf(username);
  }

  /** Once the change is stored (or failed half way), every node, this one at once, reads the account afresh. */
  private async changing<T>(username: string, change: Promise<T>): Promise<T> {
    try {
      return await change;
    } finally {
      this.forget(username);
      this.bus.publish(CHANNEL, { username });
    }
  }

  private forget(username: string): void {
    this.held.delete(username);
    this.changes++;
  }

  private keep(username: string, held: Held): void {
    this.held.delete(username);
    this.held.set(username, held);
    if (this.held.size > MAX_HELD) this.held.delete(this.held.keys().next().value!);
  }
}
