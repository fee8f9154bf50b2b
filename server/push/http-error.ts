// The push API's refusals, answered as ntfy answers them: `{"code": 40007, "http": 400, "error":
// "…", "field": "priority"}`. The code and the status come from the error table (shared/errors.ts),
// so a script that reads ntfy's numbers reads Warbler's the same way.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, httpErrorBody, type HttpErrorBody, type HttpErrorCode } from '../../shared/errors.js';
import { BudgetUnavailable } from '../budgets.js';

/** A request the push API refuses; `field` names the part of it that is wrong, where there is one. */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string = ERRORS[code].message,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function sendHttpError(reply: FastifyReply, code: HttpErrorCode, message?: string, field?: string): FastifyReply {
  const body = httpErrorBody(code, message, field);
  return reply.code(body.http).send(body);
}

/** The relay's HTTP answer where no route matches: ntfy's 404. */
export function answerNotFound(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendHttpError(reply, 'not_found');
}

/** The table's code for each status Fastify may refuse a request with, where it has one. */
const REFUSAL_CODES: Partial<Record<number, HttpErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'push_too_large',
  429: 'rate_limited',
};

/**
 * The relay's HTTP answer to a failure: a refusal a route or hook threw (HttpError), Fastify's own
 * refusal of a request, or anything else, as JSON like its own refusals. An unexpected one is
 * logged in full and answered with `internal` alone, never its message.
 */
export function answerFailure(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof HttpError) return sendHttpError(reply, err.code, err.message, err.field);
  // Fails closed while the nodes' shared store is away: a 503 a script (or a balancer) retries.
  if (err instanceof BudgetUnavailable) return sendHttpError(reply, 'unavailable', err.message);
  const status = err.statusCode;
  // Fastify's own refusals of a request (a body over the limit, a content type it cannot read) say
  // nothing secret, and keep their status: a client told 415 knows to fix the content type.
  if (status !== undefined && status >= 400 && status < 500) {
    const code = REFUSAL_CODES[status];
    if (code) return sendHttpError(reply, code, err.message);
    // A status the table has no code for keeps it, in ntfy's shape: its number is the status × 100.
    const body: HttpErrorBody = { code: status * 100, http: status, error: err.message };
    return reply.code(status).send(body);
  }
  request.log.error({ err, url: request.routeOptions.url }, 'HTTP request failed');
  return sendHttpError(reply, 'internal');
}
