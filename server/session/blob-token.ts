// The blob-token request: a logged-in device gets a token for uploading attachments over HTTP
// (server/blobs/upload.ts), with the limits it will meet and how much of its quota is taken.
import type { ResultData } from '../../shared/protocol.js';
import type { Frame, SessionContext } from './context.js';

export async function blobToken(session: SessionContext, _frame: Frame<'blob-token'>): Promise<ResultData['blob-token']> {
  const { username: account, device } = session.requireIdentity();
  const { blobs } = session.deps;
  const { token, expiresAt } = blobs.tokens.issue(account, device);
  return { token, expiresAt, maxBytes: blobs.maxBytes, quotaBytes: blobs.quotaBytes, usedBytes: await blobs.store.usedBytes(account) };
}
