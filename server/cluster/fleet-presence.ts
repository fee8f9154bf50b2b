// Presence across the nodes of a relay. Each person has a hash in Redis: one field per session,
// "<node>|<device>" → online or away, written by the node holding the session; "~v", bumped on
// every write; "~said-v" and "~said", what was last announced of the person and at which version.
// A node proves it is alive with a key that expires (node:<id>); the sessions of a node whose key
// has gone do not count, and the first node to notice clears them and announces those people
// again (their other sessions, or offline with last seen). A graceful stop does the same at once.
import type { Logger } from 'pino';
import type { DeviceSession, SessionRegistry } from '../registry.js';
import type { PersonState, PresenceStates, SessionState } from '../presence-states.js';
import type { RedisLink } from './redis.js';
import { SessionStateValue, checked } from './signals.js';

/** A node that has not renewed its key for this long is taken for dead. */
export const NODE_TTL_MS = 15_000;
const BEAT_MS = 5_000;
/** One node clears a dead one's sessions; another may try again if it dies doing it. */
const CLEARING_LOCK_MS = 60_000;

/** Announces a person again, whose sessions have changed without a session's own doing. */
type Recheck = (username: string) => Promise<void>;

// Swaps in what is announced of a person unless a newer version was announced already; 1 when it is news.
const ANNOUNCE_IF_NEWER = `
local said = tonumber(redis.call('HGET', KEYS[1], '~said-v') or '0')
if tonumber(ARGV[1]) < said then return 0 end
local previous = redis.call('HGET', KEYS[1], '~said')
redis.call('HSET', KEYS[1], '~said-v', ARGV[1], '~said', ARGV[2])
if previous == ARGV[2] then return 0 end
return 1`;

export class FleetPresence implements PresenceStates {
  /** This node's sessions and their states: what is written back if the others took it for dead. */
  private readonly local = new Map<DeviceSession, SessionState>();
  /** Other nodes, alive or not, as of the last beat (or the last look, for a node seen since). */
  private readonly alive = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private recheck: Recheck = () => Promise.resolve();
  private readonly node: string;

  constructor(
    private readonly link: RedisLink,
    private readonly registry: SessionRegistry,
    private readonly log: Logger,
  ) {
    this.node = link.bus.node;
  }

  /** Starts beating (the first beat is awaited: a node counts once it has started). */
  async start(recheck: Recheck): Promise<void> {
    this.recheck = recheck;
    await this.beat(true);
    this.timer = setInterval(() => void this.beat(false), BEAT_MS);
    this.timer.unref();
  }

  /** A graceful stop: this node's sessions stop counting now, and their people are announced again. */
  async leave(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.clear(this.node);
      await this.link.commands.del(this.key(`node:${this.node}`));
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'presence: could not withdraw this node’s sessions');
    }
  }

  async record(session: DeviceSession, state: SessionState | undefined): Promise<void> {
    const hash = this.hashOf(session.username);
    const field = `${this.node}|${session.device}`;
    const { commands } = this.link;
    if (state) {
      // A session that closed while its login was still being handled must not come back as a ghost.
      if (this.registry.session(session.device) !== session) return;
      this.local.set(session, state);
      await Promise.all([commands.multi().hset(hash, field, state).hincrby(hash, '~v', 1).exec(), commands.sadd(this.usersOf(this.node), session.username)]);
      return;
    }
    this.local.delete(session);
    // The device may have logged in again on this node already (a takeover): that session's field stays.
    const writes: Promise<unknown>[] = [];
    if (!this.registry.session(session.device)) writes.push(commands.multi().hdel(hash, field).hincrby(hash, '~v', 1).exec());
    if (this.registry.sessionsOf(session.username).size === 0) writes.push(commands.srem(this.usersOf(this.node), session.username));
    await Promise.all(writes);
  }

  async stateOf(username: string): Promise<PersonState> {
    const fields = await this.link.commands.hgetall(this.hashOf(username));
    const sessions: { node: string; state: SessionState }[] = [];
    for (const [field, value] of Object.entries(fields)) {
      if (field.startsWith('~')) continue;
      const state = checked(SessionStateValue, value, this.log, 'presence entry');
      const node = field.slice(0, field.indexOf('|'));
      if (state && node) sessions.push({ node, state });
    }
    await this.lookAt(sessions.map((s) => s.node));
    const live = sessions.filter((s) => s.node === this.node || this.alive.get(s.node));
    const state = live.length === 0 ? 'offline' : live.some((s) => s.state === 'online') ? 'online' : 'away';
    const version = Number(fields['~v'] ?? 0);
    return { state, version: Number.isSafeInteger(version) ? version : 0 };
  }

  async isNews(username: string, version: number, said: string): Promise<boolean> {
    return (await this.link.commands.eval(ANNOUNCE_IF_NEWER, 1, this.hashOf(username), version, said)) === 1;
  }

  /** Learns whether nodes not seen before are alive. */
  private async lookAt(nodes: string[]): Promise<void> {
    const unknown = [...new Set(nodes)].filter((n) => n !== this.node && !this.alive.has(n));
    if (unknown.length === 0) return;
    const exists = await Promise.all(unknown.map((n) => this.link.commands.exists(this.key(`node:${n}`))));
    for (const [i, node] of unknown.entries()) this.alive.set(node, exists[i] === 1);
  }

  private async beat(first: boolean): Promise<void> {
    const { commands } = this.link;
    try {
      const previous = await commands.set(this.key(`node:${this.node}`), '1', 'PX', NODE_TTL_MS, 'GET');
      await commands.sadd(this.key('nodes'), this.node);
      // Redis was out of reach long enough for the other nodes to clear this one's sessions.
      if (previous === null && !first) await this.restore();
      const others = (await commands.smembers(this.key('nodes'))).filter((n) => n !== this.node);
      const exists = await Promise.all(others.map((n) => commands.exists(this.key(`node:${n}`))));
      this.alive.clear();
      for (const [i, node] of others.entries()) {
        this.alive.set(node, exists[i] === 1);
        if (exists[i] !== 1) void this.clearDead(node);
      }
    } catch (err) {
      if (first) throw err;
      this.log.warn({ err: (err as Error).message }, 'presence: heartbeat failed');
    }
  }

  private async clearDead(node: string): Promise<void> {
    try {
      if ((await this.link.commands.set(this.key(`clearing:${node}`), this.node, 'PX', CLEARING_LOCK_MS, 'NX')) !== 'OK') return;
      this.log.info({ node }, 'presence: a node stopped beating; its sessions no longer count');
      await this.clear(node);
    } catch (err) {
      this.log.warn({ err: (err as Error).message, node }, 'presence: could not clear a dead node’s sessions');
    }
  }

  /** Removes a node's sessions from the presence of its people, and announces them again. */
  private async clear(node: string): Promise<void> {
    const { commands } = this.link;
    const users = await commands.smembers(this.usersOf(node));
    for (const username of users) {
      const hash = this.hashOf(username);
      const fields = (await commands.hkeys(hash)).filter((f) => f.startsWith(`${node}|`));
      if (fields.length > 0) await commands.multi().hdel(hash, ...fields).hincrby(hash, '~v', 1).exec();
      await this.recheck(username);
    }
    await commands.del(this.usersOf(node));
    await commands.srem(this.key('nodes'), node);
  }

  /** Writes this node's sessions back, and announces their people again. */
  private async restore(): Promise<void> {
    this.log.warn('presence: this node was taken for dead; writing its sessions back');
    for (const [session, state] of this.local) await this.record(session, state);
    for (const username of new Set([...this.local.keys()].map((s) => s.username))) await this.recheck(username);
  }

  private key(name: string): string {
    return this.link.prefix + name;
  }

  private hashOf(username: string): string {
    return this.key(`presence:${username}`);
  }

  private usersOf(node: string): string {
    return this.key(`node-users:${node}`);
  }
}
