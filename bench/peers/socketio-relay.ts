// The other relay the raw relay bench compares with: Socket.IO, storing nothing, forwarding each
// "m" event to the socket it names. Run as its own process: node socketio-relay.js PORT. A client
// connects with the query id=N and emits ("m", M, id, body); client M gets ("m", N, id, body).
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';

const port = Number(process.argv[2]);
const http = createServer();
const io = new Server(http, { transports: ['websocket'], perMessageDeflate: false, serveClient: false });
const sockets = new Map<string, Socket>();

io.on('connection', (socket) => {
  const id = String(socket.handshake.query.id ?? '');
  sockets.set(id, socket);
  socket.on('m', (to: string, messageId: string, body: string) => {
    sockets.get(String(to))?.emit('m', id, messageId, body);
  });
  socket.on('disconnect', () => {
    if (sockets.get(id) === socket) sockets.delete(id);
  });
});
http.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => {
  void io.close(() => process.exit(0));
});
