// GET /v1/blobs/<id>: a finished blob's ciphertext, whole or one byte range, streamed from the
// store. No authorization: the id is the capability, and only the recipients' sealed payloads hold
// it (Signal's CDN model). The bytes are useless without the key, which the relay never sees.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BLOBS_PATH, BlobId } from '../../shared/attachment.js';
import { isDownloadable, type Blobs } from './blobs.js';
import { blobErrorBody, sendBlobError, statusBody } from './errors.js';
import { parseRange } from './range.js';

export function registerBlobDownload(scope: FastifyInstance, blobs: Blobs): void {
  // HEAD on a blob is tus's (the upload offset, for its uploader), not a download's.
  scope.get<{ Params: { id: string } }>(`${BLOBS_PATH}/:id`, { exposeHeadRoute: false }, (request, reply) => download(blobs, request, reply));
}

async function download(blobs: Blobs, request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const missing = () => sendBlobError(reply, blobErrorBody('attachment_missing'));
  const id = BlobId.safeParse(request.params.id);
  if (!id.success) return missing();
  const info = await blobs.store.info(id.data);
  if (!info || !isDownloadable(blobs, info)) return missing();

  const wanted = parseRange(request.headers.range, info.size);
  if (wanted.kind === 'unsatisfiable') {
    reply.header('Content-Range', `bytes */${info.size}`);
    return sendBlobError(reply, statusBody(416, `the attachment has ${info.size} bytes`));
  }
  const range = wanted.kind === 'partial' ? wanted.range : { start: 0, end: info.size - 1 };
  const body = info.size === 0 ? Buffer.alloc(0) : await blobs.store.read(id.data, range);
  if (!body) return missing();
  reply
    .header('Content-Type', 'application/octet-stream')
    .header('Accept-Ranges', 'bytes')
    // Ciphertext, never to be shown: a browser that opens the URL saves it, and sniffs nothing.
    .header('Content-Disposition', 'attachment')
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'no-store');
  if (wanted.kind === 'partial') reply.code(206).header('Content-Range', `bytes ${range.start}-${range.end}/${info.size}`);
  return reply.header('Content-Length', range.end - range.start + 1).send(body);
}
