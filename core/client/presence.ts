// Presence: this account's own (online, away, hidden) as told to the relay, and the presence of
// the people it shares a conversation with, as the relay tells it.
import type { Logger } from 'pino';
import type { PresenceEventFrame } from '../../shared/protocol.js';
import type { Presence } from '../../shared/ipc.js';
import type { History } from '../history.js';
import type { RelayConnection } from '../relay/connection.js';
import type { Emit } from './events.js';

const HIDDEN_SETTING = 'presence.hidden';

export interface PresenceDeps {
  me: string;
  history: Pick<History, 'setting' | 'setSetting' | 'conversations'>;
  relay: Pick<RelayConnection, 'state' | 'request'>;
  emit: Emit;
  log: Logger;
}

export class Presences {
  private readonly known = new Map<string, Presence>();
  private away = false;

  constructor(private readonly d: PresenceDeps) {}

  get hidden(): boolean {
    return this.d.history.setting(HIDDEN_SETTING) === 'true';
  }

  set(update: { state?: 'online' | 'away'; hidden?: boolean }): void {
    if (update.hidden !== undefined) this.d.history.setSetting(HIDDEN_SETTING, String(update.hidden));
    if (update.state !== undefined) this.away = update.state === 'away';
    this.send();
  }

  list(): Presence[] {
    return [...this.known.values()];
  }

  /** A login tells the relay online (or hidden), never away: an away person says so again. */
  online(): void {
    if (this.away) this.send();
  }

  receive(frame: PresenceEventFrame): void {
    const presence: Presence = { username: frame.username, state: frame.state, lastSeen: frame.lastSeen };
    this.known.set(frame.username, presence);
    this.d.emit('presence', presence);
  }

  /**
   * A group change parted this account from these people. Those it now shares no conversation
   * with (no direct one, no group both are in) stop seeing its presence: the relay is told, as it
   * only knows who wrote to whom. Their devices, seeing the same change, do the same the other way.
   */
  partedFrom(people: string[]): void {
    const conversations = this.d.history.conversations();
    const { me } = this.d;
    const shares = (other: string) =>
      conversations.some((c) => (c.kind === 'group' ? c.members.includes(me) && c.members.includes(other) : c.id === other));
    const usernames = [...new Set(people)].filter((p) => p !== me && !shares(p));
    if (usernames.length === 0 || this.d.relay.state !== 'online') return;
    this.d.relay
      .request({ type: 'presence-withdraw', usernames })
      .catch((err: unknown) => this.d.log.warn({ err }, 'could not take presence back from people no longer in a conversation'));
  }

  private send(): void {
    if (this.d.relay.state !== 'online') return;
    this.d.relay
      .request({ type: 'presence', state: this.away ? 'away' : 'online', hidden: this.hidden })
      .catch((err: unknown) => this.d.log.debug({ err }, 'presence not sent'));
  }
}
