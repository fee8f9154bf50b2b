// Device linking: a new device waits with a short code; a logged-in device of the account enters
// it to approve. Codes live in memory for ten minutes: a restart simply asks for a new code. (A
// relay of several nodes keeps them in Redis instead: server/cluster/fleet-links.ts.)
import { randomInt } from 'node:crypto';
import type { PreKeyUpload, SignedPreKey } from '../shared/protocol.js';

export const LINK_TTL_MS = 10 * 60_000;
/** Devices one address may have waiting for their code at once: a household's, not thousands of sockets. */
export const PENDING_PER_ADDRESS = 10;

export interface PendingLink {
  identityKey: string;
  /** The network address the waiting device connects from. */
  address: string;
  /** The new device's proof, for the approving device to check against the code it was given. */
  proof: string;
  preKeys: PreKeyUpload & { signedPreKey: SignedPreKey };
  expiresAt: number;
  /** Tells the waiting device it has been linked, handing it the sealed account key. */
  notify(linked: { username: string; accountKey: string; sealedAccount: string; confirmation: string }): void;
}

export type Linked = Parameters<PendingLink['notify']>[0];

/** Where waiting devices' codes are kept, and looked up by the devices that approve them. */
export interface PendingLinks {
  /** A code for a waiting device; undefined when its address has too many waiting already. */
  create(waiting: Omit<PendingLink, 'expiresAt'>, now: number): Promise<{ linkId: string; expiresAt: number } | undefined>;
  /** The pending link for this code, left in place; undefined when unknown or expired. */
  peek(linkId: string, now: number): Promise<PendingLink | undefined>;
  /** The pending link for this code, removed; undefined when unknown or expired. */
  take(linkId: string, now: number): Promise<PendingLink | undefined>;
  /** The waiting device gave up (its socket closed, or it asked again). */
  cancel(identityKey: string): void;
}

export class LinkRegistry implements PendingLinks {
  private readonly pending = new Map<string, PendingLink>();

  /** A code for a waiting device; undefined when its address has too many waiting already. */
  create(waiting: Omit<PendingLink, 'expiresAt'>, now: number): Promise<{ linkId: string; expiresAt: number } | undefined> {
    return Promise.resolve(this.createNow(waiting, now));
  }

  private createNow(waiting: Omit<PendingLink, 'expiresAt'>, now: number): { linkId: string; expiresAt: number } | undefined {
    this.sweep(now);
    let fromAddress = 0;
    for (const link of this.pending.values()) if (link.address === waiting.address && link.identityKey !== waiting.identityKey) fromAddress++;
    if (fromAddress >= PENDING_PER_ADDRESS) return undefined;
    let linkId: string;
    do linkId = String(randomInt(0, 100_000_000)).padStart(8, '0');
    while (this.pending.has(linkId));
    const expiresAt = now + LINK_TTL_MS;
    this.pending.set(linkId, { ...waiting, expiresAt });
    return { linkId, expiresAt };
  }

  peek(linkId: string, now: number): Promise<PendingLink | undefined> {
    this.sweep(now);
    return Promise.resolve(this.pending.get(linkId));
  }

  take(linkId: string, now: number): Promise<PendingLink | undefined> {
    this.sweep(now);
    const link = this.pending.get(linkId);
    this.pending.delete(linkId);
    return Promise.resolve(link);
  }

  cancel(identityKey: string): void {
    for (const [id, link] of this.pending) if (link.identityKey === identityKey) this.pending.delete(id);
  }

  private sweep(now: number): void {
    for (const [id, link] of this.pending) if (link.expiresAt <= now) this.pending.delete(id);
  }
}
