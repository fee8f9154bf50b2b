// Which device is connected to this relay, and on which session. One session per device:
// a second connection for the same device replaces the first (as Signal-Server does).
import type { ServerFrame } from '../shared/protocol.js';
import type { Queued, StoredEnvelope } from './storage/queue-store.js';

export interface DeviceSession {
  readonly device: string;
  readonly username: string;
  /** Envelopes just queued (committed) for this device, in the order of their seqs. */
  deliver(envelopes: StoredEnvelope[]): void;
  /** Sends a frame now if connected (presence, ephemeral messages): never queued. */
  sendFrame(frame: ServerFrame): void;
  /** Closes the session because another connection took over the device. */
  replace(): void;
  /** Closes the session because its device was removed from the account. */
  removed(): void;
}

export class SessionRegistry {
  private readonly byDevice = new Map<string, DeviceSession>();
  private readonly byUser = new Map<string, Set<DeviceSession>>();

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
  }

  /** True when this was the account's last connected session. */
  detach(session: DeviceSession): boolean {
    if (this.byDevice.get(session.device) === session) this.byDevice.delete(session.device);
    const sessions = this.byUser.get(session.username);
    sessions?.delete(session);
    if (sessions?.size === 0) {
      this.byUser.delete(session.username);
      return true;
    }
    return false;
  }

  /** Hands envelopes just queued to the sessions of their devices, if connected here. */
  deliver(queued: readonly Queued[]): void {
    const byDevice = new Map<string, StoredEnvelope[]>();
    for (const { device, envelope } of queued) {
      const envelopes = byDevice.get(device);
      if (envelopes) envelopes.push(envelope);
      else byDevice.set(device, [envelope]);
    }
    for (const [device, envelopes] of byDevice) this.byDevice.get(device)?.deliver(envelopes);
  }

  session(device: string): DeviceSession | undefined {
    return this.byDevice.get(device);
  }

  sessionsOf(username: string): ReadonlySet<DeviceSession> {
    return this.byUser.get(username) ?? new Set();
  }

  get size(): number {
    return this.byDevice.size;
  }
}
