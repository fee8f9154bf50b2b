// The relay's end-to-end encrypted attachments, put together: the store, the upload tokens, the
// limits, and their expiry. Finished blobs live as long as a queued message (--queue-ttl): by then
// every recipient that will ever fetch one has had its message. Unfinished uploads go after a day.
import path from 'node:path';
import type { Logger } from 'pino';
import { generateIdentity } from '../../shared/crypto.js';
import type { RelayConfig } from '../config.js';
import { livesFrom } from '../storage/blob-index.js';
import type { RelayStores } from '../storage/relay-stores.js';
import type { BlobInfo, BlobStore } from './blob-store.js';
import { FileBlobStore } from './file-blob-store.js';
import { BlobTokens } from './token.js';

/** The folder under --data that holds the ciphertext, one file per blob. */
export const BLOBS_FOLDER = 'blobs';
/** An upload not finished within this long is deleted. */
export const UNFINISHED_UPLOAD_MS = 24 * 3600_000;

export interface Blobs {
  readonly store: BlobStore;
  readonly tokens: BlobTokens;
  /** The largest blob (ciphertext bytes), and the bytes one account may keep at once. */
  readonly maxBytes: number;
  readonly quotaBytes: number;
  /** How long a finished blob may be downloaded. */
  readonly ttlMs: number;
  readonly now: () => number;
}

export async function openBlobs(config: RelayConfig, stores: RelayStores, now: () => number): Promise<Blobs> {
  // The key that signs pushes signs tokens too: every node of a relay has it.
  const key = await stores.relayIdentity.loadOrCreate(generateIdentity);
  return {
    store: new FileBlobStore(path.join(config.data, BLOBS_FOLDER), stores.blobIndex, now),
    tokens: new BlobTokens(key, now),
    maxBytes: config.attachmentMaxBytes,
    quotaBytes: config.attachmentQuotaBytes,
    ttlMs: config.queueTtlMs,
    now,
  };
}

/** Finished, and not expired yet (the prune runs hourly: a blob past its time is refused before then). */
export function isDownloadable(blobs: Blobs, info: BlobInfo): boolean {
  const from = livesFrom(info);
  return from !== null && from > blobs.now() - blobs.ttlMs;
}

/** Deletes expired blobs and stale uploads; for the relay's hourly prune. Never throws. */
export async function pruneBlobs(blobs: Blobs, log: Logger): Promise<void> {
  try {
    const now = blobs.now();
    const expired = await blobs.store.expire(now - blobs.ttlMs, now - UNFINISHED_UPLOAD_MS);
    if (expired > 0) log.info({ expired }, 'attachments expired');
  } catch (err) {
    log.warn({ err }, 'could not prune the attachments');
  }
}
