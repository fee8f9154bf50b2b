// GET /v1/usernames/:name: whether a username is free, for the first-run form's check as it is
// typed. Usernames are public (anyone may start a chat with one and learn it exists), so this says
// nothing a client could not learn otherwise; it is counted against the address's request budget
// as a push request is, so it is no faster a way to list them.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Username } from '../shared/protocol.js';
import type { AccountStore } from './storage/account-store.js';
import type { Visitors } from './push/visitors.js';
import { sendHttpError } from './push/http-error.js';

export interface UsernameCheckDeps {
  accounts: Pick<AccountStore, 'account'>;
  visitors: Pick<Visitors, 'request'>;
}

const Params = z.object({ name: z.string() });

export function registerUsernameCheck(app: FastifyInstance, deps: UsernameCheckDeps): void {
  app.get('/v1/usernames/:name', async (request, reply) => {
    if (!(await deps.visitors.request(request.ip))) return sendHttpError(reply, 'rate_limited');
    const name = Username.safeParse(Params.parse(request.params).name);
    if (!name.success) return sendHttpError(reply, 'bad_request', name.error.issues[0]?.message, 'username');
    const taken = (await deps.accounts.account(name.data)) !== undefined;
    return reply.send({ username: name.data, available: !taken });
  });
}
