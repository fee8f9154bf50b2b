// GET /v1/health: whether this node can do its work. A load balancer sends traffic only to a node
// that answers 200; a node that cannot reach what it needs (the database and the Redis its nodes
// share) answers 503, saying which, and comes back by itself when they do.
import type { FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION } from '../shared/protocol.js';

export interface HealthDeps {
  /** Devices connected to this node now. */
  connected: () => number;
  /** What the node needs, by name: whether each is reachable now. */
  needs: Record<string, () => boolean | Promise<boolean>>;
}

export function registerHealth(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/v1/health', async (_request, reply) => {
    const reachable = Object.fromEntries(await Promise.all(Object.entries(deps.needs).map(async ([name, up]) => [name, await up()] as const)));
    const ok = Object.values(reachable).every(Boolean);
    return reply.code(ok ? 200 : 503).send({ ok, protocol: PROTOCOL_VERSION, connected: deps.connected(), ...reachable });
  });
}
