// A WebSocket outlives the HTTP request that opened it, and a handler reads what it needs of that
// request (the address, the Host header) at once. Yet two references would keep the request, the
// response @fastify/websocket made for it, their headers, their child logger and Fastify's
// closures for as long as the socket lives: the response stays the socket's HTTP message, and the
// plugin's own 'error' listener on the WebSocket closes over both. Cut, an idle connection holds
// about a third less memory (`npm run bench -- relay --raw --idle 10000`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';

export class UpgradeRequests {
  private readonly responses = new WeakMap<IncomingMessage, ServerResponse>();

  /** The onRequest hook of each WebSocket route: notes the upgrade's response. */
  readonly note = (request: { raw: IncomingMessage }, reply: { raw: ServerResponse }, done: () => void): void => {
    if (request.raw.headers.upgrade !== undefined) this.responses.set(request.raw, reply.raw);
    done();
  };

  /**
   * Lets the request go once the WebSocket's handler has read it. `onError` takes the place of the
   * plugin's error listener (a socket needs one; a Session adds its own after this).
   */
  release(socket: WebSocket, request: FastifyRequest, onError?: (err: Error) => void): void {
    const response = this.responses.get(request.raw);
    if (response) {
      this.responses.delete(request.raw);
      response.detachSocket(request.raw.socket);
    }
    socket.removeAllListeners('error');
    if (onError) socket.on('error', onError);
  }
}
