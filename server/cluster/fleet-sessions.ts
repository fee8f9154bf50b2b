// Sessions across the nodes of a relay. A node subscribes to `device:<key>` for each device
// connected to it and to `user:<name>` for each person with a session on it; whoever has something
// for a device or person that is not (only) here publishes there. Mail is a wake-up, not the
// envelopes: a session re-reads its queue. Envelopes from several nodes can arrive out of the
// order of their seqs, and a session that sent a later one first would skip the earlier for good;
// the queue, read after the last seq sent, holds every committed one in order.
import type { Logger } from 'pino';
import type { ServerFrame } from '../../shared/protocol.js';
import type { DeviceSession, Elsewhere, SessionRegistry } from '../registry.js';
import type { RedisLink } from './redis.js';
import { DeviceSignal, UserSignal, checked } from './signals.js';

/** A device's generation counter outlives any connection by far; it only has to outlive races. */
const GENERATION_TTL_MS = 30 * 24 * 3600_000;

export class FleetSessions implements Elsewhere {
  private registry: SessionRegistry | undefined;
  private readonly deviceChannels = new Map<string, () => void>();
  private readonly userChannels = new Map<string, () => void>();
  /**
   * Each session's place in its device's order of logins, fleet-wide (undefined when Redis could
   * not count it): a takeover from another node closes it only if that login came later.
   */
  private readonly generations = new WeakMap<DeviceSession, Promise<number | undefined>>();

  constructor(
    private readonly link: RedisLink,
    private readonly log: Logger,
  ) {}

  /**
   * The registry this node's sessions are in; `reconnected` runs for each of them after the bus
   * comes back from an outage (what was published meanwhile is gone: each re-derives it).
   */
  serve(registry: SessionRegistry, reconnected: (session: DeviceSession) => void): void {
    this.registry = registry;
    this.link.bus.onReconnect(() => {
      for (const session of registry.sessions()) {
        session.wake();
        reconnected(session);
      }
      void this.recheckGenerations([...registry.sessions()]);
    });
  }

  attached(session: DeviceSession): void {
    const { device, username } = session;
    const { bus } = this.link;
    if (!this.deviceChannels.has(device)) {
      this.deviceChannels.set(device, bus.subscribe(`device:${device}`, (body, from) => this.onDevice(device, body, from)));
    }
    if (!this.userChannels.has(username)) {
      this.userChannels.set(username, bus.subscribe(`user:${username}`, (body, from) => this.onUser(username, body, from)));
    }
    this.generations.set(session, this.claim(session));
  }

  detached(session: DeviceSession, lastOfUser: boolean): void {
    // A session replaced by another connection of the device on this node leaves the channel to it.
    if (!this.registry?.session(session.device)) {
      this.deviceChannels.get(session.device)?.();
      this.deviceChannels.delete(session.device);
    }
    if (lastOfUser) {
      this.userChannels.get(session.username)?.();
      this.userChannels.delete(session.username);
    }
  }

  mail(devices: string[]): void {
    for (const device of devices) this.toChannel(device, { t: 'mail' });
  }

  toDevice(device: string, frame: ServerFrame): void {
    this.toChannel(device, { t: 'frame', frame } as DeviceSignal);
  }

  toUser(username: string, frame: ServerFrame): void {
    this.link.bus.publish(`user:${username}`, { frame });
  }

  removed(device: string): void {
    this.toChannel(device, { t: 'removed' });
  }

  private toChannel(device: string, signal: DeviceSignal): void {
    this.link.bus.publish(`device:${device}`, signal);
  }

  /**
   * Once the device's channel is live: counts this login, tells any other node holding the device
   * to let go, and has the session read its queue (mail published before the channel was live
   * woke no one). A login counted after this one is announced after it, when this node hears it.
   */
  private async claim(session: DeviceSession): Promise<number | undefined> {
    await this.link.bus.subscribed(`device:${session.device}`);
    let generation: number | undefined;
    try {
      const key = `${this.link.prefix}device-generation:${session.device}`;
      const [counted] = (await this.link.commands.multi().incr(key).pexpire(key, GENERATION_TTL_MS).exec()) ?? [];
      if (counted?.[0]) throw counted[0];
      generation = Number(counted?.[1]);
      this.toChannel(session.device, { t: 'takeover', generation });
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'cluster: could not claim a device (a connection elsewhere may stay open)');
    }
    session.wake();
    return generation;
  }

  private onDevice(device: string, body: unknown, from: string): void {
    if (from === this.link.bus.node) return;
    const signal = checked(DeviceSignal, body, this.log, 'device signal');
    const session = this.registry?.session(device);
    if (!signal || !session) return;
    switch (signal.t) {
      case 'mail':
        return session.wake();
      case 'frame':
        return session.sendFrame(signal.frame);
      case 'removed':
        return session.removed();
      case 'takeover':
        void this.generations.get(session)?.then((mine) => {
          if ((mine === undefined || mine < signal.generation) && this.registry?.session(device) === session) session.replace();
        });
    }
  }

  private onUser(username: string, body: unknown, from: string): void {
    if (from === this.link.bus.node) return;
    const signal = checked(UserSignal, body, this.log, 'user signal');
    if (!signal) return;
    for (const session of this.registry?.sessionsOf(username) ?? []) session.sendFrame(signal.frame);
  }

  /** After an outage, takeovers may have been missed: a session whose device logged in later elsewhere closes. */
  private async recheckGenerations(sessions: DeviceSession[]): Promise<void> {
    if (sessions.length === 0) return;
    try {
      const latest = await this.link.commands.mget(sessions.map((s) => `${this.link.prefix}device-generation:${s.device}`));
      for (const [i, session] of sessions.entries()) {
        const mine = await this.generations.get(session);
        const newest = Number(latest[i] ?? 0);
        if (mine !== undefined && newest > mine && this.registry?.session(session.device) === session) session.replace();
      }
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'cluster: could not recheck device logins after an outage');
    }
  }
}
