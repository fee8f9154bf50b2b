// How the client reads the relay's error frames: a newer relay's code, or a param this client cannot
// read, still fails the request with the relay's own message, not as an unreadable answer.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { RelaySocket } from './socket.js';
import { RelayError } from './error.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A relay that answers every request with this error frame (its id set to the request's). */
async function relayAnswering(frame: Record<string, unknown>): Promise<string> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  server.on('connection', (ws) => {
    ws.on('message', (data) => {
      const { id } = JSON.parse(data.toString()) as { id: string };
      ws.send(JSON.stringify({ ...frame, id }));
    });
  });
  await once(server, 'listening');
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function pingThrough(url: string): Promise<unknown> {
  const socket = new RelaySocket(url);
  cleanups.push(() => socket.ws.terminate());
  await once(socket.ws, 'open');
  return socket.request({ type: 'ping' }).then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('RelaySocket reading error frames', () => {
  it('takes a code it does not know as internal and keeps the relay’s English message for the log', async () => {
    const url = await relayAnswering({ type: 'error', code: 'quota_exceeded', message: 'this account is over its quota' });
    const err = await pingThrough(url);
    expect(err).toBeInstanceOf(RelayError);
    expect(err).toMatchObject({ code: 'internal', message: 'this account is over its quota' });
  });

  it('drops params it cannot read and keeps the code', async () => {
    const url = await relayAnswering({ type: 'error', code: 'unknown_recipient', message: 'no user is called "nobody"', params: { username: { nested: true } } });
    const err = await pingThrough(url);
    expect(err).toBeInstanceOf(RelayError);
    expect(err).toMatchObject({ code: 'unknown_recipient', message: 'no user is called "nobody"', params: undefined });
  });
});
