// Which device is connected to this relay, and on which session. One session per device:
// a second connection for the same device replaces the first (as Signal-Server does).
// On a relay of several nodes, `elsewhere` carries what is meant for a device or person that is
// not (or not only) connected to this node; on a relay of one node there is none, and nothing
// here waits on anything.
import type { ServerFrame } from '../shared/protocol.js';
import type { Queued, StoredEnvelope } from './storage/queue-store.js';

export interface DeviceSession {
  readonly device: string;
  readonly username: string;
  /** Envelopes just queued (committed) for this device, in the order of their seqs. */
  deliver(envelopes: StoredEnvelope[]): void;
  /** Something was queued for this device that it was not handed: it reads its queue again. */
  wake(): void;
  /** Sends a frame now if connected (presence, ephemeral messages): never queued. */
  sendFrame(frame: ServerFrame): void;
  /** Closes the session because another connection took over the device. */
  replace(): void;
  /** Closes the session because its device was removed from the account. */
  removed(): void;
}

/** The relay's other nodes, as the registry reaches them (server/cluster/fleet-sessions.ts). */
export interface Elsewhere {
  /** A session logged in here: the device is now this node's (any other node's session of it closes). */
  attached(session: DeviceSession): void;
  /** A session that logged in here closed; `lastOfUser`: its account has no session left here. */
  detached(session: DeviceSession, lastOfUser: boolean): void;
  /** Envelopes were queued for these devices, none connected here. */
  mail(devices: string[]): void;
  /** A frame for a device not connected here. */
  toDevice(device: string, frame: ServerFrame): void;
  /** A frame for every session of a person on the other nodes. */
  toUser(username: string, frame: ServerFrame): void;
  /** A device not connected here was removed from its account. */
  removed(device: string): void;
}

export class SessionRegistry {
  private readonly byDevice = new Map<string, DeviceSession>();
  private readonly byUser = new Map<string, Set<DeviceSession>>();

  constructor(private readonly elsewhere?: Elsewhere) {}

  attach(session: DeviceSession): void {
    const previous = this.byDevice.get(session.device);
    this.byDevice.set(session.device, session);
    const sessions = this.byUser.get(session.username) ?? new Set();
    sessions.add(session);
    this.byUser.set(session.username, sessions);
    if (previous && previous !== session) {
      sessions.delete(previous);
      previous.replace();
    }
    this.elsewhere?.attached(session);
  }

  /** True when this was the account's last connected session. */
  detach(session: DeviceSession): boolean {
    if (this.byDevice.get(session.device) === session) this.byDevice.delete(session.device);
    const sessions = this.byUser.get(session.username);
    sessions?.delete(session);
    const last = sessions?.size === 0;
    if (last) this.byUser.delete(session.username);
    this.elsewhere?.detached(session, last);
    return last;
  }

  /** Hands envelopes just queued to the sessions of their devices; the other nodes hear of the rest. */
  deliver(queued: readonly Queued[]): void {
    const byDevice = new Map<string, StoredEnvelope[]>();
    for (const { device, envelope } of queued) {
      const envelopes = byDevice.get(device);
      if (envelopes) envelopes.push(envelope);
      else byDevice.set(device, [envelope]);
    }
    const away: string[] = [];
    for (const [device, envelopes] of byDevice) {
      const session = this.byDevice.get(device);
      if (!session) away.push(device);
      // Another node may have committed an earlier envelope for this device whose wake-up is still
      // on its way: sending this one first would move the session past it for good. Reading the
      // queue finds both, in order (a device's envelopes commit in the order of their seqs).
      else if (this.elsewhere) session.wake();
      else session.deliver(envelopes);
    }
    if (away.length > 0) this.elsewhere?.mail(away);
  }

  /** A frame for one device, wherever it is connected (if it is). */
  toDevice(device: string, frame: ServerFrame): void {
    const session = this.byDevice.get(device);
    if (session) session.sendFrame(frame);
    else this.elsewhere?.toDevice(device, frame);
  }

  /** A frame for every connected session of a person. */
  toUser(username: string, frame: ServerFrame): void {
    for (const session of this.sessionsOf(username)) session.sendFrame(frame);
    this.elsewhere?.toUser(username, frame);
  }

  /** The device was removed from its account: its session, wherever it is, closes. */
  removeDevice(device: string): void {
    const session = this.byDevice.get(device);
    if (session) session.removed();
    else this.elsewhere?.removed(device);
  }

  session(device: string): DeviceSession | undefined {
    return this.byDevice.get(device);
  }

  sessionsOf(username: string): ReadonlySet<DeviceSession> {
    return this.byUser.get(username) ?? new Set();
  }

  /** Every session connected here. */
  sessions(): IterableIterator<DeviceSession> {
    return this.byDevice.values();
  }

  get size(): number {
    return this.byDevice.size;
  }
}
