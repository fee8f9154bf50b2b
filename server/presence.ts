// Presence: online / away / offline with last seen, shown only to accounts that share a
// conversation (contacts), pushed on every change and never queued.
import type { Logger } from 'pino';
import type { PresenceState } from '../shared/protocol.js';
import type { RelayStorage } from './storage/storage.js';
import type { DeviceSession, SessionRegistry } from './registry.js';

interface Deps {
  storage: RelayStorage;
  registry: SessionRegistry;
  now: () => number;
  log: Logger;
}

export class PresenceHub {
  private readonly sessionState = new WeakMap<DeviceSession, 'online' | 'away'>();
  private readonly hidden = new Map<string, boolean>();
  /** What each contact was last told, so an unchanged state is not sent again. */
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

  private state(username: string): PresenceState {
    const sessions = [...this.deps.registry.sessionsOf(username)];
    if (sessions.length === 0 || this.hidden.get(username)) return 'offline';
    return sessions.some((s) => (this.sessionState.get(s) ?? 'online') === 'online') ? 'online' : 'away';
  }

  private async frame(username: string): Promise<object> {
    const state = this.state(username);
    const lastSeen = state === 'offline' && !this.hidden.get(username) ? await this.deps.storage.lastSeen(username) : null;
    return { type: 'presence', username, state, lastSeen };
  }

  /** A session logged in: it learns its contacts' presence; its contacts learn it is here. */
  connected(session: DeviceSession, hidden: boolean): Promise<void> {
    return this.guard('login', async () => {
      this.hidden.set(session.username, hidden);
      for (const contact of await this.deps.storage.contactsOf(session.username)) session.push(await this.frame(contact));
      await this.announce(session.username);
    });
  }

  changed(session: DeviceSession, state: 'online' | 'away', hidden: boolean): Promise<void> {
    return this.guard('change', async () => {
      this.sessionState.set(session, state);
      this.hidden.set(session.username, hidden);
      await this.announce(session.username);
    });
  }

  disconnected(session: DeviceSession, wasLast: boolean): Promise<void> {
    return this.guard('logout', async () => {
      if (wasLast) {
        await this.deps.storage.setLastSeen(session.username, this.deps.now());
        this.hidden.delete(session.username);
      }
      await this.announce(session.username);
    });
  }

  /** Two accounts now share a conversation: each learns the other's presence at once. */
  introduced(username: string, others: string[]): Promise<void> {
    return this.guard('introduction', async () => {
      const mine = await this.frame(username);
      for (const other of others) {
        for (const s of this.deps.registry.sessionsOf(other)) s.push(mine);
        const theirs = await this.frame(other);
        for (const s of this.deps.registry.sessionsOf(username)) s.push(theirs);
      }
    });
  }

  private async announce(username: string): Promise<void> {
    const frame = await this.frame(username);
    const key = JSON.stringify(frame);
    if (this.announced.get(username) === key) return;
    this.announced.set(username, key);
    for (const contact of await this.deps.storage.contactsOf(username)) {
      for (const s of this.deps.registry.sessionsOf(contact)) s.push(frame);
    }
  }
}
