// Presence: online / away / offline with last seen. It is consent: someone sees your presence only
// once you have written to them. A person who hides it appears offline to everyone, with no last
// seen (and their devices send no delivery receipts). Sent on every change, never queued.
import type { Logger } from 'pino';
import type { PresenceEventFrame } from '../shared/protocol.js';
import type { PresenceStore } from './storage/presence-store.js';
import type { DeviceSession, SessionRegistry } from './registry.js';
import { LocalPresenceStates, type PresenceStates } from './presence-states.js';

interface Deps {
  store: PresenceStore;
  registry: SessionRegistry;
  now: () => number;
  log: Logger;
  /** Whose sessions count: this process's by default, every node's on a relay of several. */
  states?: PresenceStates;
}

export class PresenceHub {
  private readonly states: PresenceStates;
  private stopped = false;

  constructor(private readonly deps: Deps) {
    this.states = deps.states ?? new LocalPresenceStates(deps.registry);
  }

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

  private async frame(username: string): Promise<{ frame: PresenceEventFrame; version: number }> {
    const hidden = await this.deps.store.isHidden(username);
    const { state, version } = await this.states.stateOf(username);
    const shown = hidden ? 'offline' : state;
    const lastSeen = shown === 'offline' && !hidden ? await this.deps.store.lastSeen(username) : null;
    return { frame: { type: 'presence', username, state: shown, lastSeen }, version };
  }

  /**
   * A session logged in: it learns the presence of those who wrote to it; those its account wrote
   * to learn it is here. `hide` comes from the device's own setting and can only switch hiding on:
   * a device that does not know about it must not make its person visible. `state` is what the
   * device says it is from its first moment: an away person is never shown online in between.
   */
  connected(session: DeviceSession, hide: boolean, state: 'online' | 'away' = 'online'): Promise<void> {
    return this.guard('login', async () => {
      if (hide) await this.deps.store.setHidden(session.username, true);
      await this.states.record(session, state);
      await this.tell(session);
      await this.announce(session.username);
    });
  }

  /** What this session may have missed (its node lost touch with the others for a while). */
  refresh(session: DeviceSession): Promise<void> {
    return this.guard('refresh', () => this.tell(session));
  }

  changed(session: DeviceSession, state: 'online' | 'away', hidden: boolean): Promise<void> {
    return this.guard('change', async () => {
      await this.deps.store.setHidden(session.username, hidden);
      await this.states.record(session, state);
      await this.announce(session.username);
    });
  }

  disconnected(session: DeviceSession): Promise<void> {
    return this.guard('logout', async () => {
      await this.states.record(session, undefined);
      await this.settle(session.username);
    });
  }

  /** Sessions of this person went away (closed, or their node stopped): last seen, and news. */
  recheck(username: string): Promise<void> {
    return this.guard('recheck', () => this.settle(username));
  }

  /** `writer` has just written to these people for the first time: they see its presence now. */
  introduced(writer: string, readers: string[]): Promise<void> {
    return this.guard('introduction', async () => {
      const { frame } = await this.frame(writer);
      for (const reader of readers) this.deps.registry.toUser(reader, frame);
    });
  }

  /**
   * `writer` took its presence back from these people: they are told it is offline, with no last
   * seen (as for someone who hides), and hear nothing more of it.
   */
  withdrawn(writer: string, readers: string[]): Promise<void> {
    return this.guard('withdrawal', async () => {
      const frame: PresenceEventFrame = { type: 'presence', username: writer, state: 'offline', lastSeen: null };
      for (const reader of readers) this.deps.registry.toUser(reader, frame);
    });
  }

  private async tell(session: DeviceSession): Promise<void> {
    for (const writer of await this.deps.store.writersTo(session.username)) session.sendFrame((await this.frame(writer)).frame);
  }

  private async settle(username: string): Promise<void> {
    const { state } = await this.states.stateOf(username);
    if (state === 'offline' && !(await this.deps.store.isHidden(username))) {
      await this.deps.store.setLastSeen(username, this.deps.now());
    }
    await this.announce(username);
  }

  private async announce(username: string): Promise<void> {
    const { frame, version } = await this.frame(username);
    if (!(await this.states.isNews(username, version, JSON.stringify(frame)))) return;
    for (const reader of await this.deps.store.audienceOf(username)) this.deps.registry.toUser(reader, frame);
  }
}
