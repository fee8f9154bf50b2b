// A login signature is good for one relay only: it names the relay's key and the host the device
// reached it at, so a challenge passed on from another relay earns a signature useless there. And a
// client meeting a relay of another protocol version says so instead of failing on the signature.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { RelayError } from '../../core/relay/error.js';
import { authPayload, generateIdentity, sign, type IdentityKeyPair, type LoginBinding } from '../../shared/crypto.js';
import type { Relay } from '../../server/relay.js';
import { fakeRelay, httpUrl, onlineClient, relayIn, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { RawSocket, registerFrame } from '../raw-socket.js';

const cleanups = useCleanups();

async function rawTo(relay: Pick<Relay, 'url'>): Promise<RawSocket> {
  const raw = await RawSocket.open(relay.url);
  cleanups.push(() => raw.close());
  return raw;
}

function authFrame(binding: LoginBinding, identity: IdentityKeyPair, id = 'auth'): Record<string, unknown> {
  return { type: 'auth', id, identityKey: identity.publicKey, signature: sign(authPayload(binding, identity.publicKey), identity.secretKey) };
}

describe('a login bound to the relay', () => {
  it('refuses on relay A a signature over A’s challenge made for relay B', async () => {
    const dir = tempDir();
    const a = await relayIn(path.join(dir, 'a'), cleanups);
    const b = await relayIn(path.join(dir, 'b'), cleanups);
    const device = await (await rawTo(a)).register('alice');

    const onA = await rawTo(a);
    const onB = await rawTo(b);
    expect(onA.binding.relayKey).not.toBe(onB.binding.relayKey);
    expect(onA.binding.origin).not.toBe(onB.binding.origin);
    // What B would get from a device it passed A's nonce on to: B's key and B's host.
    const forB = { ...onB.binding, nonce: onA.binding.nonce };
    expect(await onA.request(authFrame(forB, device))).toMatchObject({ type: 'error', code: 'bad_signature' });
    // B passing A's whole challenge on, A's key included: the device still names the host it reached.
    expect(await onA.request(authFrame({ ...onA.binding, origin: onB.binding.origin }, device, 'a2'))).toMatchObject({ code: 'bad_signature' });
    expect(await onA.request(registerFrame(forB, 'mallory', generateIdentity()))).toMatchObject({ code: 'bad_signature' });

    // The same device, signing for A, is let in.
    expect(await onA.request(authFrame(onA.binding, device, 'a3'))).toMatchObject({ type: 'result', data: { username: 'alice' } });
  });

  it('refuses a signature with the relay’s own key but another origin', async () => {
    const relay = await relayIn(tempDir(), cleanups);
    const device = await (await rawTo(relay)).register('alice');
    const raw = await rawTo(relay);
    for (const origin of ['evil.example:7878', 'evil.example', '']) {
      expect(await raw.request(authFrame({ ...raw.binding, origin }, device, origin || 'empty')), origin).toMatchObject({ code: 'bad_signature' });
    }
    // No default port spelled out, case as the URL normalises it: the origin is what loginOrigin says.
    expect(raw.binding.origin).toBe(`127.0.0.1:${relay.port}`);
    expect(await raw.request(authFrame(raw.binding, device, 'ok'))).toMatchObject({ type: 'result' });
  });

  it('checks the origin --base-url names, whatever host the socket came in by', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'), 0, { config: { baseUrl: 'http://relay.example.org' } });
    cleanups.push(() => relay.close());

    const direct = await rawTo(relay);
    expect(await direct.request(registerFrame(direct.binding, 'carol', generateIdentity()))).toMatchObject({ code: 'bad_signature' });
    const identity = generateIdentity();
    const published = { ...direct.binding, origin: 'relay.example.org' };
    expect(await direct.request({ ...registerFrame(published, 'carol', identity), id: 'r2' })).toMatchObject({ type: 'result', data: { username: 'carol' } });

    const again = await rawTo(relay);
    expect(await again.request(authFrame(again.binding, identity))).toMatchObject({ code: 'bad_signature' });
    expect(await again.request(authFrame({ ...again.binding, origin: 'relay.example.org' }, identity, 'a2'))).toMatchObject({
      type: 'result',
      data: { username: 'carol' },
    });

    // The app signs the host it connects to: not the one this relay says it is at.
    const refused = await WarblerClient.register(path.join(dir, 'dave'), httpUrl(relay), 'dave').catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(RelayError);
    expect(refused).toMatchObject({ code: 'bad_signature' });
  });

  it('lets the real client register, log in again and chat', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    const bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
    await alice.client.close();
    const back = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => back.client.close(), () => bob.client.close());
    await back.client.send('bob', 'signed for this relay');
    await waitFor(() => bob.received.some((m) => m.text === 'signed for this relay'), 5000, 'delivery');
  });
});

describe('a relay of another protocol version', () => {
  /** A relay that sends a challenge of protocol 2 (whose login payload differs) and counts connections. */
  const oldRelay = () =>
    fakeRelay(cleanups, (ws) =>
      ws.send(JSON.stringify({ type: 'challenge', protocol: 2, nonce: 'N'.repeat(43), serverTime: Date.now(), relayKey: generateIdentity().publicKey })),
    );

  it('is refused with protocol_mismatch, at registration and at login, without retrying', async () => {
    const dir = tempDir();
    const old = await oldRelay();
    const registering = await WarblerClient.register(path.join(dir, 'new'), old.url, 'alice').catch((err: unknown) => err);
    expect(registering).toMatchObject({ code: 'protocol_mismatch', message: expect.stringContaining('protocol 2') });

    const relay = await relayIn(path.join(dir, 'relay'), cleanups);
    const alice = await WarblerClient.register(path.join(dir, 'alice'), httpUrl(relay), 'alice');
    await alice.close();
    const client = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: old.url });
    cleanups.push(() => client.close());
    const fatal: string[] = [];
    client.on('fatal', (err) => fatal.push(err.code));
    const before = old.connections();
    client.start();
    await waitFor(() => fatal.length > 0, 5000, 'fatal');
    await new Promise((r) => setTimeout(r, 1000));
    expect(fatal).toEqual(['protocol_mismatch']);
    expect(client.lastConnectionError?.code).toBe('protocol_mismatch');
    expect(client.connectionState).toBe('offline');
    expect(old.connections() - before).toBe(1);
  });
});
