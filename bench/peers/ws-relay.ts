// The floor the raw relay bench compares with: a plain `ws` relay that stores nothing, checks
// nothing and forwards each frame to the socket it names. Run as its own process:
// node ws-relay.js PORT. A client connects to /?id=N and sends {"to":M,"id":…,"body":…};
// client M receives {"from":N,"id":…,"body":…}.
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.argv[2]);
const sockets = new Map<string, WebSocket>();
const server = new WebSocketServer({ host: '127.0.0.1', port, perMessageDeflate: false });

server.on('connection', (ws, request) => {
  const id = new URL(request.url ?? '/', 'http://relay').searchParams.get('id') ?? '';
  sockets.set(id, ws);
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as { to: string; id: string; body: string };
    sockets.get(String(frame.to))?.send(JSON.stringify({ from: id, id: frame.id, body: frame.body }));
  });
  ws.on('close', () => {
    if (sockets.get(id) === ws) sockets.delete(id);
  });
});
server.on('listening', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
