// The web host: the same renderer bundle and the same core, in a browser tab on 127.0.0.1.
// window.warbler is bridged over a loopback WebSocket. Anything on this machine can reach a
// loopback port (other users, any web page via the browser), so the page and the bridge need the
// secret from the printed link (kept as a cookie), and the bridge checks Origin against Host.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, BridgeRequest, type BridgeReply, type IpcEventMessage } from '../../shared/ipc-transport.js';
import { ClientService } from '../../core/service.js';
import { openLogFileOrStderr, webLogsDir } from '../../core/log-file.js';
import type { KeySource } from '../../core/vault/vault.js';
import { resolveInside } from '../../core/static-path.js';
import { rendererCsp } from '../../shared/csp.js';
import { notifyFromService, openInRenderer } from '../../desktop/notify-service.js';
import { shellStrings } from '../../desktop/strings.js';
import { ToastSink } from './toasts.js';
import { serveFiles } from './files.js';
import { answerPushPreview, pushPreviewIdOf } from '../../desktop/push-attachment-response.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const CSP = rendererCsp('self');

export interface WebHostOptions {
  profileDir: string;
  port: number;
  defaultServerUrl: string;
  serverUrl?: string;
  rendererDir?: string;
  /** Where the history key comes from (default: the key file in the profile folder). */
  keys?: KeySource;
  /** The log folder; default: the user data folder's logs/ for the default profile, else the profile's own (core/log-file.ts). */
  logsDir?: string;
}

export interface WebHost {
  /** The link to open: it carries the secret that admits this browser. */
  readonly url: string;
  readonly service: ClientService;
  /** Where this host writes its log; null when it logs to stderr. */
  readonly logsDir: string | null;
  close(): Promise<void>;
}

export const builtRendererDir = (): string => fileURLToPath(new URL('../../renderer/', import.meta.url));

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const rendererDir = path.resolve(options.rendererDir ?? builtRendererDir());
  try {
    await fs.access(path.join(rendererDir, 'web.html'));
  } catch {
    throw new Error(`the renderer is not built (${rendererDir}/web.html is missing): run npm run build`);
  }
  const logFile = await openLogFileOrStderr({ dir: options.logsDir ?? webLogsDir(options.profileDir), app: 'web' });
  const log = logFile.logger;
  // From here a failure closes what was opened: a started service holds the profile's lock and a
  // relay connection, and the port may still turn out to be taken.
  let service: ClientService | undefined;
  try {
    service = new ClientService({
      profileDir: options.profileDir,
      defaultServerUrl: options.defaultServerUrl,
      ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}),
      ...(options.keys ? { keys: options.keys } : {}),
      logger: log,
      // No opener: the page may be on another screen than this process (a forwarded port), and a file
      // manager popping up there would surprise; Settings shows the path instead.
      logs: { dir: logFile.dir },
    });
    const serving = await serve(service, options.port, rendererDir, log);
    // The port, never the link: the link carries the secret.
    log.info({ port: serving.port, profileDir: options.profileDir }, 'web host listening');
    return {
      url: serving.url,
      service,
      logsDir: logFile.dir,
      async close() {
        await serving.close();
        log.info('web host closed');
        await logFile.close();
      },
    };
  } catch (err) {
    log.fatal({ err }, 'the web host could not start');
    await service?.close().catch((closeErr: unknown) => log.error({ err: closeErr }, 'the client service did not close cleanly'));
    await logFile.close();
    throw err;
  }
}

/** Starts the service and serves it on the port; close() stops both. */
async function serve(
  service: ClientService,
  listenPort: number,
  rendererDir: string,
  log: Logger,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  // The page's own language is the renderer's business; the host speaks the system's, like the desktop app.
  const strings = shellStrings(Intl.DateTimeFormat().resolvedOptions().locale);
  notifyFromService(service, new ToastSink(service), (target) => openInRenderer(service, target), strings);
  await service.start();

  // The printed link's secret admits one browser, once; that browser then holds a session secret
  // of its own in a cookie. A link seen later (shell history, a screen share) lets nobody in.
  const token = randomBytes(24).toString('base64url');
  let tokenUsed = false;
  const session = randomBytes(32).toString('base64url');
  let port = 0;
  let cookieName = '';
  const allowedHosts = new Set<string>();
  const hasSession = (req: http.IncomingMessage) => safeEqual(readCookie(req.headers.cookie, cookieName), session);

  const server = http.createServer((req, res) => {
    const host = req.headers.host ?? '';
    if (!allowedHosts.has(host)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const offered = url.searchParams.get('token');
    if (offered !== null) {
      // The browser let in already may follow the link again (a second tab): it keeps its session.
      const admitted = hasSession(req);
      if (!admitted && (tokenUsed || !safeEqual(offered, token))) {
        // Never the token offered: it may be the real one, mistyped by a character.
        log.warn({ used: tokenUsed }, 'refused a link with a wrong or used secret');
        res.writeHead(401, { 'content-type': 'text/plain' }).end('this link is not valid (any more): it lets one browser in, once; start warbler web again for a new one');
        return;
      }
      if (!admitted) tokenUsed = true;
      // Keep the secret out of the address bar and history: a cookie from here on.
      url.searchParams.delete('token');
      res.writeHead(303, {
        location: `${url.pathname}${url.search}`,
        ...(admitted ? {} : { 'set-cookie': `${cookieName}=${session}; HttpOnly; SameSite=Strict; Path=/` }),
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (!hasSession(req)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('open the link that warbler web printed (it carries a one-time secret)');
      return;
    }
    if (serveFiles(service, req, res, url, log)) return;
    if (pushPreviewIdOf(url.pathname) !== null) {
      void answerPushPreview((id) => service.openPushAttachment(id), { method: req.method ?? 'GET', pathname: url.pathname }).then((answer) => {
        res.writeHead(answer.status, answer.headers);
        if (!answer.body) return void res.end(answer.text);
        answer.body.on('error', () => res.destroy()).pipe(res);
        res.on('close', () => answer.body?.destroy());
      });
      return;
    }
    void serveStatic(rendererDir, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const host = req.headers.host ?? '';
    const pathname = new URL(req.url ?? '/', `http://127.0.0.1:${port}`).pathname;
    // Browsers always send the page's Origin on a WebSocket: it must be this host's own page.
    if (pathname !== BRIDGE_PATH || !allowedHosts.has(host) || req.headers.origin !== `http://${host}` || !hasSession(req)) {
      log.warn({ pathname: pathname === BRIDGE_PATH ? pathname : 'other', session: hasSession(req) }, 'refused a bridge connection');
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => void handleBridgeFrame(service, ws, data.toString(), log));
  });
  const onEvent = ({ event, payload }: IpcEventMessage) => {
    const frame = JSON.stringify({ kind: 'event', event, payload } satisfies BridgeReply);
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  };
  service.on('event', onEvent);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : listenPort;
  // Cookies are per host name, not per port: one name per host keeps two profiles apart.
  cookieName = `warbler_${port}`;
  allowedHosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    async close() {
      service.off('event', onEvent);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A browser tab keeps its connections open (keep-alive, a request in flight): closing must not wait for it.
      server.closeAllConnections();
      await closed;
      await service.close();
    },
  };
}

function readCookie(header: string | undefined, name: string): string {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return '';
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

async function handleBridgeFrame(service: ClientService, ws: WebSocket, text: string, log: Logger): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // Not the frame, nor the parse error: it quotes the frame, which may hold a message.
    log.warn('closed a bridge connection that sent a frame that is not JSON');
    ws.close(1007, 'bad JSON');
    return;
  }
  const parsed = BridgeRequest.safeParse(json);
  if (!parsed.success) {
    log.warn('closed a bridge connection that sent a malformed frame');
    ws.close(1007, 'bad bridge frame');
    return;
  }
  const { id, channel, request } = parsed.data;
  const outcome = await service.invoke(channel, request);
  const reply: BridgeReply = outcome.ok
    ? { kind: 'reply', id, ok: true, response: outcome.response }
    : { kind: 'reply', id, ok: false, error: outcome.error };
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
}

async function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  let pathname = new URL(req.url ?? '/', 'http://host').pathname;
  if (pathname === '/' || pathname === '/index.html') pathname = '/web.html';
  const file = resolveInside(root, pathname);
  if (!file) {
    res.writeHead(403).end();
    return;
  }
  let body: Buffer;
  try {
    body = await fs.readFile(file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  const ext = path.extname(file);
  res.writeHead(200, {
    'content-type': MIME[ext] ?? 'application/octet-stream',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': ext === '.html' ? 'no-store' : 'public, max-age=300',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
