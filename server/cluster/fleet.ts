// What makes a relay's nodes one relay for its WebSocket sessions: mail, takeovers and frames for
// devices and people connected elsewhere (FleetSessions), presence over every node's sessions
// (FleetPresence), and link codes any node can approve (FleetLinks). Made only when the relay has
// Redis; a relay of one node keeps all of it in its own process.
import type { Logger } from 'pino';
import type { PresenceHub } from '../presence.js';
import { SessionRegistry } from '../registry.js';
import type { RedisLink } from './redis.js';
import { FleetLinks } from './fleet-links.js';
import { FleetPresence } from './fleet-presence.js';
import { FleetSessions } from './fleet-sessions.js';

export class Fleet {
  private readonly sessions: FleetSessions;
  readonly registry: SessionRegistry;
  readonly presence: FleetPresence;
  readonly links: FleetLinks;

  constructor(link: RedisLink, log: Logger) {
    this.sessions = new FleetSessions(link, log);
    this.registry = new SessionRegistry(this.sessions);
    this.presence = new FleetPresence(link, this.registry, log);
    this.links = new FleetLinks(link, log);
  }

  /** Joins the fleet: this node beats, and hears again what it may have missed after an outage. */
  async start(hub: PresenceHub): Promise<void> {
    this.sessions.serve(this.registry, (session) => void hub.refresh(session));
    await this.presence.start((username) => hub.recheck(username));
  }

  /** Leaves it (a graceful stop): this node's people are announced without its sessions. */
  leave(): Promise<void> {
    return this.presence.leave();
  }
}
