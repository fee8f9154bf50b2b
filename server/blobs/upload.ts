// Uploads (tus 1.0.0: creation, PATCH, HEAD, termination) at /v1/blobs. Fastify checks who asks
// and refuses what it can refuse early (in the push API's JSON); then it steps aside and hands the
// raw request and response to @tus/server, whose bytes never pass Fastify's 64 KB body limit.
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Metadata, Server, TUS_RESUMABLE, type ServerOptions } from '@tus/server';
import { BLOBS_PATH, BlobId } from '../../shared/attachment.js';
import type { AccountStore } from '../storage/account-store.js';
import type { Blobs } from './blobs.js';
import { BlobRefusal, blobErrorBody, fromTus, sendBlobError, statusBody, tooLarge, type BlobErrorBody } from './errors.js';
import { bearerToken, type BlobGrant } from './token.js';
import { OWNER_KEY, TusBlobStore } from './tus-store.js';

/** The body of a tus PATCH (and of a creation with data). */
const PATCH_TYPE = 'application/offset+octet-stream';

type TusRequest = Parameters<NonNullable<ServerOptions['onUploadCreate']>>[0];
type IdRequest = FastifyRequest<{ Params: { id: string } }>;

export interface BlobUploadDeps {
  blobs: Blobs;
  /** A token of a device removed since it was issued creates nothing more. */
  accounts: AccountStore;
}

export function registerBlobUploads(scope: FastifyInstance, { blobs, accounts }: BlobUploadDeps): void {
  // Who each request handed to tus is, for the upload it creates.
  const grants = new WeakMap<IncomingMessage, BlobGrant>();
  const grantOf = (req: TusRequest) => {
    const raw = req.runtime?.node?.req;
    return raw && grants.get(raw as IncomingMessage);
  };
  const tus = new Server({
    path: BLOBS_PATH,
    datastore: new TusBlobStore(blobs.store, blobs.quotaBytes),
    maxSize: blobs.maxBytes,
    relativeLocation: true,
    // The core uploads from Node; no web page needs to reach these routes.
    allowedOrigins: [],
    namingFunction: (_req, metadata) => {
      const id = BlobId.safeParse(metadata?.id);
      if (!id.success) throw new BlobRefusal(blobErrorBody('bad_request', 'Upload-Metadata needs an id', { field: 'Upload-Metadata' }));
      return id.data;
    },
    // The client's metadata (its id) is dropped; the store is told only who uploads.
    async onUploadCreate(req) {
      const grant = grantOf(req);
      if (!grant) throw new Error('an upload reached tus without a checked token');
      return { metadata: { [OWNER_KEY]: grant.account } };
    },
    async onUploadFinish(_req, upload) {
      await blobs.store.complete(upload.id);
      return {};
    },
    onResponseError(req, err) {
      let refusal: BlobErrorBody;
      if (err instanceof BlobRefusal) refusal = err.refusal;
      else if (!(err instanceof Error) && typeof err.status_code === 'number') refusal = fromTus(err.status_code, err.body, blobs.maxBytes);
      else {
        scope.log.warn({ err }, 'an attachment upload failed');
        refusal = blobErrorBody('internal');
      }
      // tus makes a Response of the body: a string would be labelled text/plain; bytes are labelled
      // by nothing, so the JSON type set on the Node response stands.
      req.runtime?.node?.res?.setHeader('Content-Type', 'application/json; charset=utf-8');
      return { status_code: refusal.http, body: Buffer.from(JSON.stringify(refusal)) as unknown as string };
    },
  });

  const handOver = async (request: FastifyRequest, reply: FastifyReply, grant: BlobGrant): Promise<void> => {
    grants.set(request.raw, grant);
    reply.hijack();
    try {
      await tus.handle(request.raw, reply.raw);
    } catch (err) {
      request.log.warn({ err }, 'tus could not answer');
      if (!reply.raw.headersSent) reply.raw.writeHead(500).end();
      else reply.raw.destroy();
    }
  };

  // tus's PATCH body: left unread for tus, whatever its length.
  scope.addContentTypeParser(PATCH_TYPE, (_request, _payload, done) => done(null));

  scope.post(BLOBS_PATH, async (request, reply) => {
    const grant = await checkedGrant(blobs, request, reply);
    if (!grant) return reply;
    if ((await accounts.deviceByKey(grant.device))?.username !== grant.account) {
      return sendBlobError(reply, blobErrorBody('unauthorized', 'this device was removed from its account'));
    }
    const refusal = await creationRefusal(blobs, request, grant);
    if (refusal) return sendBlobError(reply, refusal);
    await handOver(request, reply, grant);
    return reply;
  });

  scope.route<{ Params: { id: string } }>({
    method: ['HEAD', 'PATCH', 'DELETE'],
    url: `${BLOBS_PATH}/:id`,
    handler: async (request: IdRequest, reply) => {
      const grant = await checkedGrant(blobs, request, reply);
      if (!grant) return reply;
      const id = BlobId.safeParse(request.params.id);
      const info = id.success ? await blobs.store.info(id.data) : undefined;
      if (!info) return sendBlobError(reply, blobErrorBody('attachment_missing'));
      if (info.owner !== grant.account) {
        return sendBlobError(reply, blobErrorBody('forbidden', 'only the account that uploads an attachment may write to it'));
      }
      await handOver(request, reply, grant);
      return reply;
    },
  });
}

/** The grant of the request's token, or undefined with the request refused. */
async function checkedGrant(blobs: Blobs, request: FastifyRequest, reply: FastifyReply): Promise<BlobGrant | undefined> {
  const grant = blobs.tokens.verify(bearerToken(request.headers.authorization));
  if (!grant) {
    reply.header('WWW-Authenticate', 'Bearer');
    await sendBlobError(reply, blobErrorBody('unauthorized', 'an attachment upload needs a valid token (the blob-token request)'));
    return undefined;
  }
  // What tus would refuse in plain text, refused here in the API's JSON.
  if (request.headers['tus-resumable'] !== TUS_RESUMABLE) {
    reply.header('Tus-Version', TUS_RESUMABLE);
    await sendBlobError(reply, statusBody(412, `Tus-Resumable: ${TUS_RESUMABLE} is required`));
    return undefined;
  }
  if (request.method === 'PATCH') {
    let refusal: BlobErrorBody | undefined;
    if (request.headers['content-type'] !== PATCH_TYPE) {
      refusal = blobErrorBody('bad_request', `a tus PATCH is ${PATCH_TYPE}`, { field: 'Content-Type' });
    } else if (!/^\d{1,15}$/.test(header(request, 'upload-offset') ?? '')) {
      refusal = blobErrorBody('bad_request', 'a tus PATCH needs the Upload-Offset', { field: 'Upload-Offset' });
    }
    if (refusal) {
      await sendBlobError(reply, refusal);
      return undefined;
    }
  }
  return grant;
}

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Why a creation is refused before any byte is stored, if it is: its id, its length, the quota. */
async function creationRefusal(blobs: Blobs, request: FastifyRequest, grant: BlobGrant): Promise<BlobErrorBody | undefined> {
  if (header(request, 'upload-defer-length') !== undefined) {
    return blobErrorBody('bad_request', 'Upload-Length is required: the quota counts it', { field: 'Upload-Length' });
  }
  const length = header(request, 'upload-length');
  if (length === undefined || !/^\d{1,15}$/.test(length)) {
    return blobErrorBody('bad_request', 'Upload-Length must be the number of bytes', { field: 'Upload-Length' });
  }
  const size = Number(length);
  if (size > blobs.maxBytes) return tooLarge(blobs.maxBytes);
  let metadata: Record<string, string | null>;
  try {
    metadata = Metadata.parse(header(request, 'upload-metadata'));
  } catch {
    return blobErrorBody('bad_request', 'Upload-Metadata is not tus metadata', { field: 'Upload-Metadata' });
  }
  // The relay takes the id alone: a name or a type would tell it what the sealed payload hides.
  const id = BlobId.safeParse(metadata.id);
  if (!id.success || Object.keys(metadata).length !== 1) {
    return blobErrorBody('bad_request', 'Upload-Metadata holds the id (a BlobId) and nothing else', { field: 'Upload-Metadata' });
  }
  if ((await blobs.store.usedBytes(grant.account)) + size > blobs.quotaBytes) return blobErrorBody('quota_exceeded');
  if (await blobs.store.info(id.data)) return statusBody(409, 'an attachment with this id exists');
  return undefined;
}
