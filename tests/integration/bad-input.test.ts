// Whatever a client sends, the relay answers with a clear error and keeps serving everyone else.
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { authPayload, generateIdentity, sign } from '../../shared/crypto.js';
import { MAX_CONTROL_FRAME_BYTES, MAX_FRAME_BYTES, MAX_SOCKET_PAYLOAD } from '../../shared/protocol.js';
import type { Relay } from '../../server/relay.js';
import { httpUrl, onlineClient, profileOf, tempDir, testRelay, waitFor } from '../helpers.js';
import { RawSocket, registerFrame } from '../raw-socket.js';
import type { WarblerClient } from '../../core/client.js';

let relay: Relay;
let dir: string;
let alice: WarblerClient;
let bob: { client: WarblerClient; received: { text: string }[] };

beforeAll(async () => {
  dir = tempDir();
  relay = await testRelay(path.join(dir, 'relay'));
  alice = (await onlineClient(path.join(dir, 'alice'), relay, 'alice')).client;
  bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
});

afterAll(async () => {
  // The relay still serves the well-behaved clients after everything below.
  await alice.send('bob', 'still here');
  await waitFor(() => bob.received.some((m) => m.text === 'still here'), 5000, 'delivery after abuse');
  await alice.close();
  await bob.client.close();
  await relay.close();
});

describe('bad input to the relay', () => {
  it('answers malformed JSON with bad_json and keeps the connection', async () => {
    const raw = await RawSocket.open(relay.url);
    raw.ws.send('{"type": "ping", ');
    expect(await raw.next((f) => f.type === 'error')).toMatchObject({ code: 'bad_json', id: null });
    expect(await raw.request({ type: 'ping', id: 'p1' })).toMatchObject({ type: 'result', id: 'p1' });
    raw.close();
  });

  it('answers unknown frame types and wrong fields with bad_frame naming the problem', async () => {
    const raw = await RawSocket.open(relay.url);
    const unknown = await raw.request({ type: 'teleport', id: 'u1' });
    expect(unknown).toMatchObject({ type: 'error', id: 'u1', code: 'bad_frame' });
    const wrong = await raw.request({ type: 'devices', id: 'u2', username: 'x' });
    expect(wrong).toMatchObject({ type: 'error', id: 'u2', code: 'bad_frame' });
    expect(String(wrong.message)).toContain('username');
    raw.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await raw.next((f) => f.type === 'error' && f.code === 'bad_frame' && f.id === null)).toBeDefined();
    raw.close();
  });

  it('refuses oversized frames: an error frame, or a 1009 close for huge ones', async () => {
    const raw = await RawSocket.open(relay.url);
    raw.ws.send(JSON.stringify({ type: 'ping', id: 'big', pad: 'x'.repeat(MAX_FRAME_BYTES) }));
    expect(await raw.next((f) => f.type === 'error' && f.code === 'frame_too_large')).toBeDefined();
    expect(await raw.request({ type: 'ping', id: 'after' })).toMatchObject({ type: 'result' });
    // Only a send may be large (sealed for every device of a big group); any other frame is small.
    expect(await raw.request({ type: 'ping', id: 'padded', pad: 'x'.repeat(MAX_CONTROL_FRAME_BYTES) })).toMatchObject({
      type: 'error',
      code: 'frame_too_large',
    });
    expect(await raw.request({ type: 'ping', id: 'small', pad: 'x'.repeat(MAX_CONTROL_FRAME_BYTES - 100) })).toMatchObject({ type: 'result' });

    raw.ws.send('x'.repeat(MAX_SOCKET_PAYLOAD + 1));
    await waitFor(() => raw.closed, 5000, 'close');
    expect(raw.closed?.code).toBe(1009);
  });

  it('refuses a login signed over the wrong challenge, and an unknown device', async () => {
    const raw = await RawSocket.open(relay.url);
    const identity = generateIdentity();
    expect(await raw.request(registerFrame({ ...raw.binding, nonce: 'not-the-nonce' }, 'mallory', identity))).toMatchObject({ type: 'error', code: 'bad_signature' });
    // A device certified by another key than the account's, or a prekey the device did not sign.
    const otherAccount = generateIdentity();
    expect(await raw.request({ ...registerFrame(raw.binding, 'mallory', identity), id: 'r2', accountKey: otherAccount.publicKey })).toMatchObject({
      type: 'error',
      code: 'bad_certificate',
    });
    const frame = registerFrame(raw.binding, 'mallory', identity);
    const preKeys = frame.preKeys as { signedPreKey: { signature: string } };
    const forgedPreKey = { ...preKeys, signedPreKey: { ...preKeys.signedPreKey, signature: sign(new Uint8Array(1), identity.secretKey) } };
    expect(await raw.request({ ...frame, id: 'r3', preKeys: forgedPreKey })).toMatchObject({ type: 'error', code: 'bad_prekey' });

    // Alice's public key, signed by someone else: not a login as alice.
    const forged = sign(authPayload(raw.binding, alice.deviceKey), identity.secretKey);
    expect(await raw.request({ type: 'auth', id: 'a1', identityKey: alice.deviceKey, signature: forged })).toMatchObject({
      type: 'error',
      code: 'bad_signature',
    });
    const stranger = generateIdentity();
    const strangerSig = sign(authPayload(raw.binding, stranger.publicKey), stranger.secretKey);
    expect(await raw.request({ type: 'auth', id: 'a2', identityKey: stranger.publicKey, signature: strangerSig })).toMatchObject({
      code: 'unknown_device',
    });
    // Not logged in: no sending, no key lookups.
    expect(await raw.request({ type: 'devices', id: 'd1', username: 'bob' })).toMatchObject({ code: 'unauthenticated' });
    raw.close();
  });

  it('refuses a taken username regardless of case', async () => {
    const raw = await RawSocket.open(relay.url);
    const identity = generateIdentity();
    const reply = await raw.request(registerFrame(raw.binding, 'ALICE', identity));
    expect(reply).toMatchObject({ type: 'error', code: 'username_taken' });
    raw.close();
  });

  it('answers a send to an unknown recipient, or to the wrong devices, with a clear error', async () => {
    const raw = await RawSocket.open(relay.url);
    await raw.register('eve');
    const envelope = { device: bob.client.deviceKey, sealed: { kind: 'ratchet', body: 'QUJD' } };
    expect(await raw.request({ type: 'send', id: 's1', messageId: 'M'.repeat(22), recipients: ['nobody'], envelopes: [envelope] })).toMatchObject({
      code: 'unknown_recipient',
    });
    const mismatch = await raw.request({
      type: 'send',
      id: 's2',
      messageId: 'N'.repeat(22),
      recipients: ['bob'],
      envelopes: [{ ...envelope, device: alice.deviceKey }],
    });
    expect(mismatch).toMatchObject({
      code: 'device_mismatch',
      accounts: { bob: { accountKey: (await profileOf(bob.client)).account.publicKey, devices: [{ key: bob.client.deviceKey }] }, eve: { devices: [] } },
    });
    raw.close();
  });

  it('closes an older connection when the same device connects again', async () => {
    const first = await RawSocket.open(relay.url);
    const identity = await first.register('carol');
    const second = await RawSocket.open(relay.url);
    const reply = await second.request({
      type: 'auth',
      id: 'a',
      identityKey: identity.publicKey,
      signature: sign(authPayload(second.binding, identity.publicKey), identity.secretKey),
    });
    expect(reply).toMatchObject({ type: 'result', data: { username: 'carol' } });
    await waitFor(() => first.closed, 5000, 'first closed');
    expect(first.closed?.code).toBe(4001);
    second.close();
  });

  it('serves HTTP errors as JSON and rejects a plain request to the socket path', async () => {
    const res = await fetch(`${httpUrl(relay)}/no/such/thing`);
    expect(res.status).toBe(404);
    // ntfy's body: its number for "not found", the status, English text.
    expect(await res.json()).toEqual({ code: 40401, http: 404, error: 'page not found' });
    const health = await fetch(`${httpUrl(relay)}/v1/health`);
    expect(await health.json()).toMatchObject({ ok: true });
    const ws = new WebSocket(`${relay.url}/elsewhere`);
    const outcome = await new Promise<string>((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', () => resolve('refused'));
      ws.once('unexpected-response', (_req, r) => resolve(`status ${r.statusCode}`));
    });
    expect(outcome).not.toBe('open');
  });

  it('drops typing frames for a client that stopped reading, rather than buffering them without end', async () => {
    const bobIdentity = generateIdentity();
    const slow = await RawSocket.open(relay.url);
    await slow.register('slowreader', bobIdentity);
    const typer = await RawSocket.open(relay.url);
    await typer.register('typer');
    // The reader's socket stops reading: what the relay writes to it waits on the relay's side.
    const socketOf = (raw: RawSocket) => (raw.ws as unknown as { _socket: net.Socket })._socket;
    socketOf(slow).pause();
    const body = 'A'.repeat(512 * 1024);
    for (let i = 0; i < 100; i++) {
      const reply = await typer.request({
        type: 'send',
        id: `t${i}`,
        messageId: `typing-${String(i).padStart(10, '0')}`,
        recipients: ['slowreader'],
        envelopes: [{ device: bobIdentity.publicKey, sealed: { kind: 'box', nonce: 'N'.repeat(32), body } }],
        ephemeral: true,
      });
      expect(reply).toMatchObject({ type: 'result' });
    }
    socketOf(slow).resume();
    // Reading again, the client gets what fitted before the relay began dropping, and carries on.
    expect(await slow.request({ type: 'ping', id: 'after' })).toMatchObject({ type: 'result' });
    const typing = slow.frames.filter((f) => f.type === 'ephemeral').length;
    expect(typing).toBeGreaterThan(0);
    // 50 MB were sent its way; a few MB of it fit in the kernel's buffers and the relay's 1 MB.
    expect(typing).toBeLessThan(50);
    slow.close();
    typer.close();
  });

  it('takes a few registrations an hour from one address, and others from another', async () => {
    const limited = await testRelay(path.join(dir, 'limited'), 0, { config: { registrationsPerHour: 3 } });
    try {
      const from = async (localAddress: string, username: string) => {
        const raw = await RawSocket.open(limited.url, { localAddress });
        const reply = await raw.request(registerFrame(raw.binding, username, generateIdentity()));
        raw.close();
        return reply;
      };
      for (const name of ['r1', 'r2', 'r3']) expect(await from('127.0.0.1', name)).toMatchObject({ type: 'result' });
      expect(await from('127.0.0.1', 'r4')).toMatchObject({ type: 'error', code: 'rate_limited' });
      expect(await from('127.0.0.2', 'r4')).toMatchObject({ type: 'result' });
    } finally {
      await limited.close();
    }
  });

  it('closes sockets that never finish a request (silent, or headers a line every two seconds)', async () => {
    const port = Number(new URL(httpUrl(relay)).port);
    const opened = Date.now();
    const closedAfter = (kind: 'silent' | 'slow') =>
      new Promise<number>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          if (kind === 'silent') return;
          socket.write('GET /v1/health HTTP/1.1\r\nHost: relay\r\n');
          const drip = setInterval(() => socket.write('X-Drip: 1\r\n'), 2000);
          socket.once('close', () => clearInterval(drip));
        });
        socket.on('error', () => undefined);
        socket.resume();
        socket.once('close', () => resolve(Date.now() - opened));
      });
    const [silent, slow] = await Promise.all([closedAfter('silent'), closedAfter('slow')]);
    // The headers' 10 s, checked every 2 s, and slack for a loaded machine.
    expect(silent).toBeLessThan(20_000);
    expect(slow).toBeLessThan(20_000);
    // A request that arrives whole is answered as ever.
    expect((await fetch(`${httpUrl(relay)}/v1/health`)).status).toBe(200);
  }, 30_000);
});
