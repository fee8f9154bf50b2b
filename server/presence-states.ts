// Whether a person is online, away or offline, from the sessions of their devices. On a relay of
// one node that is this process's sessions (LocalPresenceStates); a relay of several nodes keeps
// every node's sessions in Redis (server/cluster/fleet-presence.ts).
import type { DeviceSession, SessionRegistry } from './registry.js';

export type SessionState = 'online' | 'away';

export interface PersonState {
  state: SessionState | 'offline';
  /** Grows with every change recorded for the person: a state read earlier is older news. */
  version: number;
}

export interface PresenceStates {
  /** A session's state; undefined once it has gone (detached from the registry already). */
  record(session: DeviceSession, state: SessionState | undefined): Promise<void>;
  stateOf(username: string): Promise<PersonState>;
  /**
   * True when `said` (what would be announced of the person, read at `version`) is news: not
   * what was announced last, nor older than it. Remembers it as announced when it is.
   */
  isNews(username: string, version: number, said: string): Promise<boolean>;
}

export class LocalPresenceStates implements PresenceStates {
  private readonly sessionState = new WeakMap<DeviceSession, SessionState>();
  /** What each audience was last told, so an unchanged state is not sent again. */
  private readonly announced = new Map<string, string>();

  constructor(private readonly registry: SessionRegistry) {}

  record(session: DeviceSession, state: SessionState | undefined): Promise<void> {
    if (state) this.sessionState.set(session, state);
    return Promise.resolve();
  }

  stateOf(username: string): Promise<PersonState> {
    const sessions = [...this.registry.sessionsOf(username)];
    let state: PersonState['state'] = 'offline';
    if (sessions.length > 0) state = sessions.some((s) => (this.sessionState.get(s) ?? 'online') === 'online') ? 'online' : 'away';
    return Promise.resolve({ state, version: 0 });
  }

  isNews(username: string, _version: number, said: string): Promise<boolean> {
    if (this.announced.get(username) === said) return Promise.resolve(false);
    this.announced.set(username, said);
    return Promise.resolve(true);
  }
}
