// Presence: online / away / offline with last seen. It is consent: someone sees your presence only
// once you have written to them. A person who hides it appears offline to everyone, with no last
// seen (and their devices send no delivery receipts). Sent on every change, never queued.
import type { Logger } from 'pino';
import type { PresenceEventFrame, PresenceState } from '../shared/protocol.js';
import type { PresenceStore } from './storage/presence-store.js';
import type { DeviceSession, SessionRegistry } from './registry.js';

interface Deps {
  store: PresenceStore;
  registry: SessionRegistry;
  now: () => number;
  log: Logger;
}

export class PresenceHub {
  private readonly sessionState = new WeakMap<DeviceSession, 'online' | 'away'>();
  /** What each audience was last told, so an unchanged state is not sent again. */
  private readonly announced = new Map<string, string>();
  private stopped = false;

  constructor(private readonly deps: Deps) {}

  /** The relay is shutting down: connections closing now are not news to anyone. */
  stop(): void {
    this.stopped = true;
  }

  /** Presence is best effort: a failure is logged, never thrown into a session. */
  private async guard(what: string, fn: () => Promise<void>): Promise<void> {
    if (this.stopped) return;
    try {
      await fn();
    } catch (err) {
      if (!this.stopped) this.deps.log.warn({ err }, `presence: ${what} failed`);
    }
  }

  private async frame(username: string): Promise<PresenceEventFrame> {
    const hidden = await this.deps.store.isHidden(username);
    const sessions = [...this.deps.registry.sessionsOf(username)];
    let state: PresenceState = 'offline';
    if (!hidden && sessions.length > 0) {
      state = sessions.some((s) => (this.sessionState.get(s) ?? 'online') === 'online') ? 'online' : 'away';
    }
    const lastSeen = state === 'offline' && !hidden ? await this.deps.store.lastSeen(username) : null;
    return { type: 'presence', username, state, lastSeen };
  }

  /**
   * A session logged in: it learns the presence of those who wrote to it; those its account wrote
   * to learn it is here. `hide` comes from the device's own setting and can only switch hiding on:
   * a device that does not know about it must not make its person visible.
   */
  connected(session: DeviceSession, hide: boolean): Promise<void> {
    return this.guard('login', async () => {
      if (hide) await this.deps.store.setHidden(session.username, true);
      for (const writer of await this.deps.store.writersTo(session.username)) session.sendFrame(await this.frame(writer));
      await this.announce(session.username);
    });
  }

  changed(session: DeviceSession, state: 'online' | 'away', hidden: boolean): Promise<void> {
    return this.guard('change', async () => {
      this.sessionState.set(session, state);
      await this.deps.store.setHidden(session.username, hidden);
      await this.announce(session.username);
    });
  }

  disconnected(session: DeviceSession, wasLast: boolean): Promise<void> {
    return this.guard('logout', async () => {
      if (wasLast && !(await this.deps.store.isHidden(session.username))) {
        await this.deps.store.setLastSeen(session.username, this.deps.now());
      }
      await this.announce(session.username);
    });
  }

  /** `writer` has just written to these people for the first time: they see its presence now. */
  introduced(writer: string, readers: string[]): Promise<void> {
    return this.guard('introduction', async () => {
      const frame = await this.frame(writer);
      for (const reader of readers) for (const s of this.deps.registry.sessionsOf(reader)) s.sendFrame(frame);
    });
  }

  /**
   * `writer` took its presence back from these people: they are told it is offline, with no last
   * seen (as for someone who hides), and hear nothing more of it.
   */
  withdrawn(writer: string, readers: string[]): Promise<void> {
    return this.guard('withdrawal', async () => {
      const frame: PresenceEventFrame = { type: 'presence', username: writer, state: 'offline', lastSeen: null };
      for (const reader of readers) for (const s of this.deps.registry.sessionsOf(reader)) s.sendFrame(frame);
    });
  }

  private async announce(username: string): Promise<void> {
    const frame = await this.frame(username);
    const key = JSON.stringify(frame);
    if (this.announced.get(username) === key) return;
    this.announced.set(username, key);
    for (const reader of await this.deps.store.audienceOf(username)) {
      for (const s of this.deps.registry.sessionsOf(reader)) s.sendFrame(frame);
    }
  }
}
