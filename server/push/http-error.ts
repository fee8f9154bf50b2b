// The push API's refusals, answered as ntfy answers them: `{"code": 40007, "http": 400, "error":
// "…", "field": "priority"}`. The code and the status come from the error table (shared/errors.ts),
// so a script that reads ntfy's numbers reads Warbler's the same way.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, httpErrorBody, type HttpErrorCode } from '../../shared/errors.js';

/** A request the push API refuses; `field` names the part of it that is wrong, where there is one. */
export class HttpError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string = ERRORS[code].message,
    readonly field?: string,
  ) {
    super(message);
  }

  get status(): number {
    return ERRORS[this.code].http;
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

/**
 * The relay's HTTP answer to a failure no route caught, as JSON like its own refusals. An
 * unexpected one is logged in full and answered with `internal` alone, never its message.
 */
export function answerFailure(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof HttpError) return sendHttpError(reply, err.code, err.message, err.field);
  // Fastify's own refusals of a request (a body over the limit, a content type it cannot read) say nothing secret.
  if (err.statusCode === 413) return sendHttpError(reply, 'push_too_large', err.message);
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return sendHttpError(reply, 'bad_request', err.message);
  request.log.error({ err, url: request.routeOptions.url }, 'HTTP request failed');
  return sendHttpError(reply, 'internal');
}
