// The blob API on the relay's HTTP side (shared/attachment.ts BLOBS_PATH): tus uploads for a
// device holding a token, downloads for anyone holding the id. Registered in a scope of its own,
// so its content-type parser applies to these routes alone.
import type { FastifyInstance } from 'fastify';
import type { AccountStore } from '../storage/account-store.js';
import type { Blobs } from './blobs.js';
import { registerBlobDownload } from './download.js';
import { registerBlobUploads } from './upload.js';

export function registerBlobRoutes(scope: FastifyInstance, deps: { blobs: Blobs; accounts: AccountStore }): void {
  registerBlobUploads(scope, deps);
  registerBlobDownload(scope, deps.blobs);
}
