// Device linking: a new device waits with a short code; a logged-in device of the account enters
// it to approve. Codes live in memory for ten minutes: a restart simply asks for a new code.
import { randomInt } from 'node:crypto';
import type { PreKeyUpload, SignedPreKey } from '../shared/protocol.js';

const LINK_TTL_MS = 10 * 60_000;
/** Devices one address may have waiting for their code at once: a household's, not thousands of sockets. */
const PENDING_PER_ADDRESS = 10;

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

export class LinkRegistry {
  private readonly pending = new Map<string, PendingLink>();

  /** A code for a waiting device; undefined when its address has too many waiting already. */
  create(waiting: Omit<PendingLink, 'expiresAt'>, now: number): { linkId: string; expiresAt: number } | undefined {
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

  /** The pending link for this code, left in place; undefined when unknown or expired. */
  peek(linkId: string, now: number): PendingLink | undefined {
    this.sweep(now);
    return this.pending.get(linkId);
  }

  /** The pending link for this code, removed from the registry; undefined when unknown or expired. */
  take(linkId: string, now: number): PendingLink | undefined {
    this.sweep(now);
    const link = this.pending.get(linkId);
    this.pending.delete(linkId);
    return link;
  }

  cancel(identityKey: string): void {
    for (const [id, link] of this.pending) if (link.identityKey === identityKey) this.pending.delete(id);
  }

  private sweep(now: number): void {
    for (const [id, link] of this.pending) if (link.expiresAt <= now) this.pending.delete(id);
  }
}
