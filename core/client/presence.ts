// Presence: this account's own (online, away, hidden) as told to the relay, and the presence of
// the people it shares a conversation with, as the relay tells it.
import type { Logger } from 'pino';
import { z } from 'zod';
import { MAX_RECIPIENTS, Username, type PresenceEventFrame } from '../../shared/protocol.js';
import type { Presence } from '../../shared/ipc.js';
import type { History } from '../history.js';
import type { LoginPresence, RelayConnection } from '../relay/connection.js';
import type { Emit } from './events.js';

const HIDDEN_SETTING = 'presence.hidden';
/** Away chosen by hand: kept until the person chooses online again, whatever the keyboard does. */
const AWAY_SETTING = 'presence.away';
/** People to take presence back from, kept until the relay has been told (the parting may happen offline). */
const WITHDRAW_SETTING = 'presence.withdraw';
/** What a damaged or foreign value of the setting reads as: nobody, rather than a failed start. */
const Withdrawals = z.array(Username).catch([]);

export interface PresenceDeps {
  me: string;
  history: Pick<History, 'setting' | 'setSetting' | 'conversations'>;
  relay: Pick<RelayConnection, 'state' | 'request'>;
  /** A blocked person's presence is not shown, and they see none of this account's. */
  isBlocked(username: string): boolean;
  emit: Emit;
  log: Logger;
}

export class Presences {
  private readonly known = new Map<string, Presence>();
  private away = false;
  /** The client closes: a reply arriving later finds the history shut and has nothing to record. */
  private closed = false;

  constructor(private readonly d: PresenceDeps) {}

  get hidden(): boolean {
    return this.d.history.setting(HIDDEN_SETTING) === 'true';
  }

  /** Away by choice (the account menu), as opposed to away after a while without input. */
  get awayByChoice(): boolean {
    return this.d.history.setting(AWAY_SETTING) === 'true';
  }

  /** `state` is what the idle timer sees; `away` the person's own choice, kept across restarts. */
  set(update: { state?: 'online' | 'away'; hidden?: boolean; away?: boolean }): void {
    if (update.hidden !== undefined) this.d.history.setSetting(HIDDEN_SETTING, String(update.hidden));
    if (update.away !== undefined) this.d.history.setSetting(AWAY_SETTING, String(update.away));
    if (update.state !== undefined) this.away = update.state === 'away';
    this.send();
  }

  list(): Presence[] {
    return [...this.known.values()].filter((p) => !this.d.isBlocked(p.username));
  }

  /** What a login tells the relay from its first moment: hidden, and away (by choice or idle). */
  atLogin(): LoginPresence {
    return { hidden: this.hidden, away: this.away || this.awayByChoice };
  }

  /** Logged in: away is said again, for a relay older than the login's own `away` (a newer one sees no change). */
  online(): void {
    if (this.away || this.awayByChoice) this.send();
  }

  close(): void {
    this.closed = true;
  }

  receive(frame: PresenceEventFrame): void {
    if (this.d.isBlocked(frame.username)) return;
    const presence: Presence = { username: frame.username, state: frame.state, lastSeen: frame.lastSeen };
    this.known.set(frame.username, presence);
    this.d.emit('presence', presence);
  }

  /**
   * Someone was blocked: their presence is no longer shown (offline, no last seen, until
   * unblocked and told again), and the relay stops showing them this account's.
   */
  blocked(username: string): void {
    this.known.delete(username);
    this.d.emit('presence', { username, state: 'offline', lastSeen: null });
    this.partedFrom([username]);
  }

  /**
   * A group change parted this account from these people. Those it now shares no conversation
   * with (no direct one, no group both are in) stop seeing its presence: the relay is told, now or
   * at the next login, as it only knows who wrote to whom. Their devices, seeing the same change,
   * do the same the other way.
   */
  partedFrom(people: string[]): void {
    const parted = this.partedOnly(people);
    if (parted.length === 0) return;
    this.setPending([...new Set([...this.pending(), ...parted])]);
    this.withdraw();
  }

  /**
   * Tells the relay of the pending withdrawals, if online; each is forgotten once the relay has it.
   * After a login, only once the outbox has gone out: a group change still in it would otherwise
   * reach the parted person after the withdrawal, and writing to someone shows them presence again.
   */
  withdraw(): void {
    if (this.closed || this.d.relay.state !== 'online') return;
    const pending = this.pending();
    if (pending.length === 0) return;
    // Someone written to again since (a new chat, a new group) is no longer parted.
    const usernames = this.partedOnly(pending).slice(0, MAX_RECIPIENTS);
    if (usernames.length === 0) return this.setPending([]);
    this.d.relay.request({ type: 'presence-withdraw', usernames }).then(
      () => {
        // Not recorded once closed: told again at the next login, which the relay takes as no change.
        if (this.closed) return;
        const told = new Set(usernames);
        const rest = this.partedOnly(this.pending().filter((p) => !told.has(p)));
        this.setPending(rest);
        if (rest.length > 0) this.withdraw();
      },
      (err: unknown) => this.d.log.warn({ err }, 'could not take presence back from people no longer in a conversation; trying again at the next login'),
    );
  }

  /** Those of `people` (not this account) it blocks, or with whom it shares no conversation: no direct one, no group both are in. */
  private partedOnly(people: string[]): string[] {
    const conversations = this.d.history.conversations();
    const { me } = this.d;
    const shares = (other: string) =>
      conversations.some((c) => (c.kind === 'group' ? c.members.includes(me) && c.members.includes(other) : c.id === other));
    return [...new Set(people)].filter((p) => p !== me && (this.d.isBlocked(p) || !shares(p)));
  }

  private pending(): string[] {
    const stored = this.d.history.setting(WITHDRAW_SETTING);
    if (stored === undefined) return [];
    try {
      return Withdrawals.parse(JSON.parse(stored));
    } catch {
      return [];
    }
  }

  private setPending(usernames: string[]): void {
    this.d.history.setSetting(WITHDRAW_SETTING, JSON.stringify(usernames));
  }

  private send(): void {
    if (this.d.relay.state !== 'online') return;
    this.d.relay
      .request({ type: 'presence', state: this.away || this.awayByChoice ? 'away' : 'online', hidden: this.hidden })
      .catch((err: unknown) => this.d.log.debug({ err }, 'presence not sent'));
  }
}
