// The web host's file routes, for the page only (the caller checked its session): POST /stage takes
// a file the person chose, dropped or pasted and hands it to the core, which encrypts it as it
// arrives; GET /attachments/<id> serves an attachment's plaintext (desktop/attachment-response.ts).
import type http from 'node:http';
import type { Logger } from 'pino';
import { StageOptions } from '../../shared/attachment.js';
import { describeZodError } from '../../shared/protocol.js';
import { STAGE_PATH, STAGE_OPTIONS_HEADER } from '../../shared/ipc-attachments.js';
import type { ClientService } from '../../core/service.js';
import { toIpcError } from '../../core/ipc-errors.js';
import { ERRORS } from '../../shared/errors.js';
import { answerAttachment, attachmentIdOf } from '../../desktop/attachment-response.js';

/** True when the request was one of these routes (and has been answered). */
export function serveFiles(service: ClientService, req: http.IncomingMessage, res: http.ServerResponse, url: URL, log: Logger): boolean {
  if (url.pathname === STAGE_PATH) {
    void stage(service, req, res, log);
    return true;
  }
  if (attachmentIdOf(url.pathname) === null) return false;
  void serveAttachment(service, req, res, url);
  return true;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(JSON.stringify(body));
}

async function stage(service: ClientService, req: http.IncomingMessage, res: http.ServerResponse, log: Logger): Promise<void> {
  // Only this host's own page: a form on another site cannot post a file into someone's chat.
  if (req.method !== 'POST' || req.headers.origin !== `http://${req.headers.host ?? ''}`) {
    req.resume();
    json(res, 403, { code: 'forbidden', message: 'only the app page may stage files' });
    return;
  }
  let options: StageOptions;
  try {
    const parsed = StageOptions.safeParse(JSON.parse(decodeURIComponent(String(req.headers[STAGE_OPTIONS_HEADER] ?? ''))));
    if (!parsed.success) throw new Error(describeZodError(parsed.error));
    options = parsed.data;
  } catch (err) {
    req.resume();
    json(res, 400, { code: 'bad_request', message: `bad stage options: ${(err as Error).message}` });
    return;
  }
  try {
    const staged = await service.stageAttachment(req, options);
    json(res, 200, staged);
  } catch (err) {
    const error = toIpcError(err);
    if (error.code === 'internal') log.error({ err }, 'staging a file failed');
    req.resume();
    // The push API's status where the error table has one (413 for a file over the relay's limit).
    const http = (ERRORS as Record<string, { http?: number }>)[error.code]?.http;
    json(res, http ?? (error.code === 'internal' ? 500 : 400), error);
  }
}

async function serveAttachment(service: ClientService, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
  const answer = await answerAttachment((id, range) => service.openAttachment(id, range), {
    method: req.method ?? 'GET',
    pathname: url.pathname,
    search: url.searchParams,
    range: req.headers.range,
  });
  res.writeHead(answer.status, answer.headers);
  if (!answer.body) return void res.end(answer.text);
  answer.body.on('error', () => res.destroy());
  answer.body.pipe(res);
  res.on('close', () => answer.body?.destroy());
}
