// What an open WebSocket keeps of the HTTP request that opened it: a real Fastify server with
// @fastify/websocket on loopback, real sockets, and the garbage collector asked whether the
// request is still held.
import { once } from 'node:events';
import v8 from 'node:v8';
import vm from 'node:vm';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { UpgradeRequests } from './upgrades.js';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server whose /released route lets its requests go and whose /kept route does not. */
async function server() {
  const app = Fastify();
  await app.register(websocket);
  const upgrades = new UpgradeRequests();
  const requests: WeakRef<FastifyRequest>[] = [];
  const errors: Error[] = [];
  const serverSockets: WebSocket[] = [];
  for (const route of ['released', 'kept']) {
    app.get(`/${route}`, { websocket: true, onRequest: upgrades.note }, (socket, request) => {
      requests.push(new WeakRef(request));
      serverSockets.push(socket);
      if (route === 'released') upgrades.release(socket, request, (err) => errors.push(err));
      socket.on('message', (data: Buffer) => socket.send(data));
    });
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => app.close());
  return { url: url.replace(/^http/, 'ws'), requests, errors, serverSockets };
}

async function open(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  cleanups.push(() => socket.terminate());
  await once(socket, 'open');
  // The server has run its handler once it answers.
  socket.send('ping');
  await once(socket, 'message');
  return socket;
}

async function collected(refs: WeakRef<object>[]): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return refs.filter((ref) => ref.deref() === undefined).length;
}

describe('an upgrade request released after its WebSocket handler', () => {
  it('is collected while its socket stays open; one not released is held', async () => {
    const s = await server();
    const released = await Promise.all([1, 2, 3].map(() => open(`${s.url}/released`)));
    expect(await collected(s.requests)).toBe(3);

    const kept = await open(`${s.url}/kept`);
    expect(await collected(s.requests)).toBe(3);
    expect(s.requests.at(-1)!.deref()).toBeDefined();

    // The sockets still work both ways.
    for (const socket of [...released, kept]) {
      socket.send('still here');
      const [reply] = (await once(socket, 'message')) as [Buffer];
      expect(reply.toString()).toBe('still here');
    }
  });

  it('hands the socket’s errors to the listener given in place of the plugin’s', async () => {
    const s = await server();
    await open(`${s.url}/released`);
    const socket = s.serverSockets[0]!;
    expect(socket.listenerCount('error')).toBe(1);
    socket.emit('error', new Error('reset by peer'));
    expect(s.errors.map((e) => e.message)).toEqual(['reset by peer']);
  });
});
