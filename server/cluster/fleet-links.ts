// Device linking across the nodes of a relay: the waiting device's code is kept in Redis (for ten
// minutes, and at most ten waiting per address, counted atomically), so that the approving device may be connected to
// any node; the approval reaches the waiting socket's node on `link:<code>`.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { LINK_TTL_MS, PENDING_PER_ADDRESS, type Linked, type PendingLink, type PendingLinks } from '../links.js';
import { z } from 'zod';
import type { RedisLink } from './redis.js';
import { defineScript, type Script } from './script.js';
import { LinkedSignal, StoredLink, checked } from './signals.js';

interface Waiting {
  linkId: string;
  address: string;
  notify: PendingLink['notify'];
  unsubscribe: () => void;
}

/**
 * KEYS: the address's waiting devices (a sorted set by expiry). ARGV: now, the limit, the device,
 * its expiry, the set's lifetime. Takes the device's place (again) unless the address has no place
 * left besides one it holds already; 1 when taken.
 */
const RESERVE = `redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
local held = redis.call('ZSCORE', KEYS[1], ARGV[3]) and 1 or 0
if redis.call('ZCARD', KEYS[1]) - held >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`;

export class FleetLinks implements PendingLinks {
  /** The devices waiting on this node, by their key. */
  private readonly waiting = new Map<string, Waiting>();
  private readonly reserve: Script<0 | 1>;

  constructor(
    private readonly link: RedisLink,
    private readonly log: Logger,
  ) {
    this.reserve = defineScript(link.commands, 'warblerLinkReserve', RESERVE, z.union([z.literal(0), z.literal(1)]));
  }

  async create(waiting: Omit<PendingLink, 'expiresAt'>, now: number): Promise<{ linkId: string; expiresAt: number } | undefined> {
    const { commands, bus } = this.link;
    // One code per waiting device key on this node: a second request replaces the first.
    this.cancel(waiting.identityKey);
    const perAddress = this.key(`link-address:${waiting.address}`);
    const expiresAt = now + LINK_TTL_MS;
    // Nodes taking places for one address at the same moment cannot both see the last one free.
    if ((await this.reserve(perAddress, now, PENDING_PER_ADDRESS, waiting.identityKey, expiresAt, LINK_TTL_MS)) === 0) return undefined;
    const stored = JSON.stringify({ identityKey: waiting.identityKey, address: waiting.address, proof: waiting.proof, preKeys: waiting.preKeys, expiresAt });
    let linkId: string;
    do linkId = String(randomInt(0, 100_000_000)).padStart(8, '0');
    while ((await commands.set(this.key(`link:${linkId}`), stored, 'PX', LINK_TTL_MS, 'NX')) !== 'OK');
    const channel = `link:${linkId}`;
    const unsubscribe = bus.subscribe(channel, (body, from) => {
      if (from === bus.node) return;
      const linked = checked(LinkedSignal, body, this.log, 'link approval');
      if (linked) this.linked(waiting.identityKey, linkId, linked);
    });
    this.waiting.set(waiting.identityKey, { linkId, address: waiting.address, notify: waiting.notify, unsubscribe });
    // The code is shown once an approval entered on any node can reach this one.
    await bus.subscribed(channel);
    return { linkId, expiresAt };
  }

  async peek(linkId: string, now: number): Promise<PendingLink | undefined> {
    return this.pending(linkId, await this.link.commands.get(this.key(`link:${linkId}`)), now);
  }

  async take(linkId: string, now: number): Promise<PendingLink | undefined> {
    const link = this.pending(linkId, await this.link.commands.getdel(this.key(`link:${linkId}`)), now);
    if (link) await this.link.commands.zrem(this.key(`link-address:${link.address}`), link.identityKey);
    return link;
  }

  cancel(identityKey: string): void {
    const waiting = this.waiting.get(identityKey);
    if (!waiting) return;
    this.forget(identityKey, waiting);
    const { commands } = this.link;
    Promise.all([commands.del(this.key(`link:${waiting.linkId}`)), commands.zrem(this.key(`link-address:${waiting.address}`), identityKey)]).catch((err: unknown) => {
      this.log.debug({ err: (err as Error).message }, 'cluster: a cancelled link code stays until it expires');
    });
  }

  private pending(linkId: string, raw: string | null, now: number): PendingLink | undefined {
    if (raw === null) return undefined;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const stored = checked(StoredLink, json, this.log, 'pending link');
    if (!stored || stored.expiresAt <= now) return undefined;
    return {
      ...stored,
      notify: (linked) => {
        if (this.waiting.get(stored.identityKey)?.linkId === linkId) this.linked(stored.identityKey, linkId, linked);
        else this.link.bus.publish(`link:${linkId}`, linked);
      },
    };
  }

  private linked(identityKey: string, linkId: string, linked: Linked): void {
    const waiting = this.waiting.get(identityKey);
    if (waiting?.linkId !== linkId) return;
    this.forget(identityKey, waiting);
    waiting.notify(linked);
  }

  private forget(identityKey: string, waiting: Waiting): void {
    this.waiting.delete(identityKey);
    waiting.unsubscribe();
  }

  private key(name: string): string {
    return this.link.prefix + name;
  }
}
