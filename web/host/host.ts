// The web host: the same renderer bundle and the same core, in a browser tab on 127.0.0.1.
// window.warbler is bridged over a loopback WebSocket that only this page's origin may open.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { BRIDGE_PATH, BridgeRequest, type BridgeReply, type IpcEventMessage } from '../../shared/ipc.js';
import { ClientService } from '../../electron/core/service.js';

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

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export interface WebHostOptions {
  profileDir: string;
  port: number;
  defaultServerUrl: string;
  serverUrl?: string;
  rendererDir?: string;
}

export interface WebHost {
  readonly url: string;
  readonly service: ClientService;
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
  const service = new ClientService({
    profileDir: options.profileDir,
    defaultServerUrl: options.defaultServerUrl,
    ...(options.serverUrl ? { serverUrl: options.serverUrl } : {}),
  });
  await service.start();

  let origin = '';
  const allowedHosts = new Set<string>();
  const server = http.createServer((req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('wrong host');
      return;
    }
    void serveStatic(rendererDir, req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 256 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', origin).pathname;
    // Any web page can open a WebSocket to 127.0.0.1; only this host's own page may use the bridge.
    if (pathname !== BRIDGE_PATH || req.headers.origin !== origin || !allowedHosts.has(req.headers.host ?? '')) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data) => void handleBridgeFrame(service, ws, data.toString()));
  });
  const onEvent = ({ event, payload }: IpcEventMessage) => {
    const frame = JSON.stringify({ kind: 'event', event, payload } satisfies BridgeReply);
    for (const ws of wss.clients) if (ws.readyState === ws.OPEN) ws.send(frame);
  };
  service.on('event', onEvent);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  origin = `http://127.0.0.1:${port}`;
  allowedHosts.add(`127.0.0.1:${port}`).add(`localhost:${port}`);

  return {
    url: `${origin}/`,
    service,
    async close() {
      service.off('event', onEvent);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await service.close();
    },
  };
}

async function handleBridgeFrame(service: ClientService, ws: WebSocket, text: string): Promise<void> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ws.close(1007, 'bad JSON');
    return;
  }
  const parsed = BridgeRequest.safeParse(json);
  if (!parsed.success) {
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
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://host').pathname);
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (pathname === '/' || pathname === '/index.html') pathname = '/web.html';
  const file = path.join(root, path.normalize(pathname));
  if (!file.startsWith(root + path.sep)) {
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
