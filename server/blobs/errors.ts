// The blob API's refusals, in the push API's JSON (ntfy's shape: `{"code": 41301, "http": 413,
// "error": "…"}`), with `params` where the app's text needs a value (attachment_too_large's max).
// Refusals tus itself makes (an offset that does not match, say) are put in the same shape.
import type { FastifyReply } from 'fastify';
import { ERRORS, httpErrorBody, type ErrorParams, type HttpErrorBody, type HttpErrorCode } from '../../shared/errors.js';

export type BlobErrorBody = HttpErrorBody & { params?: ErrorParams };

/** `field` names the header at fault, as the push API names its fields. */
export function blobErrorBody(
  code: HttpErrorCode,
  message: string = ERRORS[code].message,
  extra: { field?: string; params?: ErrorParams } = {},
): BlobErrorBody {
  return { ...httpErrorBody(code, message, extra.field), ...(extra.params ? { params: extra.params } : {}) };
}

export const tooLarge = (maxBytes: number): BlobErrorBody =>
  blobErrorBody('attachment_too_large', `an attachment may be at most ${maxBytes} bytes`, { params: { max: maxBytes } });

/** A status the error table has no code for keeps it, its number being the status × 100 (as the push API does). */
export const statusBody = (status: number, message: string): BlobErrorBody => ({ code: status * 100, http: status, error: message });

export function sendBlobError(reply: FastifyReply, body: BlobErrorBody): FastifyReply {
  return reply.code(body.http).type('application/json; charset=utf-8').send(body);
}

/** A refusal made inside tus (the id taken, the quota reached meanwhile): tus answers it with this status and body. */
export class BlobRefusal extends Error {
  readonly status_code: number;
  readonly body: string;
  constructor(readonly refusal: BlobErrorBody) {
    super(refusal.error);
    this.status_code = refusal.http;
    this.body = JSON.stringify(refusal);
  }
}

/**
 * A tus refusal as the blob API answers: tus's own codes mapped onto the table's where one means
 * the same, and its plain-text reason kept as the message. A server failure says nothing more.
 */
export function fromTus(status: number, text: string, maxBytes: number): BlobErrorBody {
  const message = text.trim();
  if (status >= 500) return blobErrorBody('internal');
  if (status === 404 || status === 410) return blobErrorBody('attachment_missing');
  if (status === 413 && /maximum size/i.test(message)) return tooLarge(maxBytes);
  if (status === 400) return blobErrorBody('bad_request', message);
  return statusBody(status, message);
}
