// The blob-token request: a logged-in device gets a token for uploading attachments over HTTP
// (server/blobs/upload.ts), with the limits it will meet and how much of its quota is taken. And
// blob-keep: a device forwarding attachments has their blobs kept for the new recipients.
import type { ResultData } from '../../shared/protocol.js';
import { isDownloadable } from '../blobs/blobs.js';
import type { Frame, SessionContext } from './context.js';

export async function blobToken(session: SessionContext, _frame: Frame<'blob-token'>): Promise<ResultData['blob-token']> {
  const { username: account, device } = session.requireIdentity();
  const { blobs } = session.deps;
  const { token, expiresAt } = blobs.tokens.issue(account, device);
  return { token, expiresAt, maxBytes: blobs.maxBytes, quotaBytes: blobs.quotaBytes, usedBytes: await blobs.store.usedBytes(account) };
}

/**
 * Any logged-in device that knows a blob's id may ask: knowing it is what a recipient's payload
 * gives, and the same knowledge already lets it download the blob. The blob stays its uploader's,
 * in its uploader's quota, for the longer time.
 */
export async function blobKeep(session: SessionContext, frame: Frame<'blob-keep'>): Promise<ResultData['blob-keep']> {
  session.requireIdentity();
  const { blobs } = session.deps;
  const kept: string[] = [];
  for (const id of new Set(frame.blobs)) {
    const info = await blobs.store.info(id);
    if (info && isDownloadable(blobs, info) && (await blobs.store.keep(id))) kept.push(id);
  }
  return { kept };
}
