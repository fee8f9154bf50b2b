// Behind a reverse proxy every client arrives from the proxy's address: only with --behind-proxy,
// and only from the proxies it names, does the relay take each client's address from
// X-Forwarded-For, so that one client's budget is not everyone's.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateIdentity } from '../../shared/crypto.js';
import type { Relay } from '../../server/relay.js';
import { httpUrl, tempDir, testRelay } from '../helpers.js';
import { RawSocket, registerFrame } from '../raw-socket.js';

const running: Relay[] = [];
afterEach(async () => {
  for (const relay of running.splice(0)) await relay.close();
});

async function relayWith(config: Record<string, unknown>): Promise<Relay> {
  const relay = await testRelay(path.join(tempDir(), 'relay'), 0, { config: { visitorBurst: 5, ...config } });
  running.push(relay);
  return relay;
}

/** A publish as it reaches the relay from a proxy on this machine, on behalf of `client`. */
const publish = (relay: Relay, client: string) =>
  fetch(`${httpUrl(relay)}/alerts`, { method: 'POST', body: 'hello', headers: { 'X-Forwarded-For': client } }).then((r) => r.status);

async function spend(relay: Relay, client: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) statuses.push(await publish(relay, client));
  return statuses;
}

describe('a relay behind a proxy', () => {
  it('without --behind-proxy, ignores X-Forwarded-For: every request counts against the connection’s own address', async () => {
    const relay = await relayWith({});
    expect(await spend(relay, '203.0.113.7', 5)).toEqual([200, 200, 200, 200, 200]);
    // Claiming another address buys nothing.
    expect(await publish(relay, '198.51.100.1')).toBe(429);
  });

  it('with --behind-proxy, counts each forwarded client on its own: an attacker’s flood leaves others their budget', async () => {
    const relay = await relayWith({ behindProxy: 'true' });
    expect(await spend(relay, '203.0.113.7', 6)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(await publish(relay, '198.51.100.1')).toBe(200);
    // The client is the address the proxy saw: the last in the list, not what the client wrote first.
    expect(await publish(relay, '198.51.100.1, 203.0.113.7')).toBe(429);
  });

  it('trusts the header only from the proxies it names', async () => {
    const relay = await relayWith({ behindProxy: 'true', trustedProxies: '10.0.0.1' });
    expect(await spend(relay, '203.0.113.7', 5)).toEqual([200, 200, 200, 200, 200]);
    expect(await publish(relay, '198.51.100.1')).toBe(429);
  });

  it('counts registrations per forwarded address on the WebSocket too', async () => {
    const relay = await relayWith({ behindProxy: 'true', registrationsPerHour: 1 });
    const register = async (client: string, username: string) => {
      const raw = await RawSocket.open(relay.url, { headers: { 'X-Forwarded-For': client } });
      const reply = await raw.request(registerFrame(raw.binding, username, generateIdentity()));
      raw.close();
      return reply;
    };
    expect(await register('203.0.113.7', 'first')).toMatchObject({ type: 'result' });
    expect(await register('203.0.113.7', 'second')).toMatchObject({ type: 'error', code: 'rate_limited' });
    expect(await register('198.51.100.1', 'second')).toMatchObject({ type: 'result' });
  });
});
