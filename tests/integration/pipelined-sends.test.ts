// Several sends on their way at once (core/client/outbox.ts), yet never stored out of order: a send
// that names the one before it (`after`) is stored only if that one was stored on this connection.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomBytes, toB64 } from '../../shared/crypto.js';
import { OUTBOX_WINDOW } from '../../core/client/outbox.js';
import { captureProxy } from '../capture-proxy.js';
import { WarblerClient } from '../../core/client.js';
import { httpUrl, onlineClient, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { RawSocket } from '../raw-socket.js';
import type { RelayError } from '../../core/relay/error.js';

const messageId = () => toB64(randomBytes(16));

let requests = 0;
function sendTo(devices: string[], id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'send',
    id: `send-${++requests}`,
    messageId: id,
    recipients: ['bob'],
    envelopes: devices.map((device) => ({ device, sealed: { kind: 'ratchet', body: toB64(randomBytes(64)) } })),
    ...extra,
  };
}

const codeOf = (reply: Record<string, unknown>) => (reply.type === 'error' ? (reply.code as string) : 'stored');

describe('pipelined sends', () => {
  const cleanups = useCleanups();

  it('the relay stores a send named `after` another only when that one was stored on the same connection', async () => {
    const relay = await testRelay(tempDir());
    cleanups.push(() => relay.close());
    const bob = await RawSocket.open(relay.url);
    await bob.register('bob');
    cleanups.push(() => bob.close());
    const alice = await RawSocket.open(relay.url);
    const aliceKey = await alice.register('alice');
    cleanups.push(() => alice.close());
    const devices = ((await alice.request({ type: 'devices', id: 'who', username: 'bob' })).data as { devices: { key: string }[] }).devices.map((d) => d.key);

    const [a, b, c, d, e] = [messageId(), messageId(), messageId(), messageId(), messageId()];
    // Named after a message nobody sent.
    expect(codeOf(await alice.request(sendTo(devices, a, { after: messageId() })))).toBe('out_of_order');
    expect(codeOf(await alice.request(sendTo(devices, a)))).toBe('stored');
    expect(codeOf(await alice.request(sendTo(devices, b, { after: a })))).toBe('stored');
    // A refused send (sealed for the sender's own device instead of bob's) stops the one behind it…
    expect(codeOf(await alice.request(sendTo([aliceKey.publicKey], c, { after: b })))).toBe('device_mismatch');
    expect(codeOf(await alice.request(sendTo(devices, d, { after: c })))).toBe('out_of_order');
    // …until it is sent again and stored.
    expect(codeOf(await alice.request(sendTo(devices, c, { after: b })))).toBe('stored');
    expect(codeOf(await alice.request(sendTo(devices, d, { after: c })))).toBe('stored');
    // Sent again (its answer was lost, so it leads the client's next window), a stored message
    // counts as stored, and one may follow it.
    expect((await alice.request(sendTo(devices, d))).data).toMatchObject({ duplicate: true });
    expect(codeOf(await alice.request(sendTo(devices, d, { after: c })))).toBe('out_of_order');

    // Another connection of the same device knows nothing of what the first one stored.
    alice.close();
    const again = await RawSocket.open(relay.url);
    cleanups.push(() => again.close());
    expect((await again.login(aliceKey)).type).toBe('result');
    expect(codeOf(await again.request(sendTo(devices, e, { after: d })))).toBe('out_of_order');
    expect(codeOf(await again.request(sendTo(devices, e)))).toBe('stored');

    // Bob's device got exactly the stored ones, in the order they were stored.
    const envelopes = () => bob.frames.filter((f) => f.type === 'envelope' && f.kind === 'message').map((f) => f.messageId);
    await waitFor(() => envelopes().length >= 5, 5000, "bob's five envelopes");
    expect(envelopes()).toEqual([a, b, c, d, e]);
  });

  it('a message written the moment the client is online goes out at once, though the outbox was just looked at', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'));
    cleanups.push(() => relay.close());
    await (await WarblerClient.register(path.join(dir, 'bob'), httpUrl(relay), 'bob')).close();
    const alice = await WarblerClient.register(path.join(dir, 'alice'), httpUrl(relay), 'alice');
    cleanups.push(() => alice.close());
    // Coming online starts a pass over the (empty) outbox; these sends must not ride on it.
    alice.start();
    await alice.waitOnline(10_000);
    for (let i = 0; i < 5; i++) {
      const sent = await alice.send('bob', `right away #${i}`, { queue: false });
      expect(sent.state).toBe('sent');
    }
  });

  it('sends that do not wait (queue: false) behind one refused for now fail with its reason, and those stored arrive in order', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'), 0, { config: { sendsPerSecond: 5 } });
    cleanups.push(() => relay.close());
    const alice = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => alice.client.close());
    const bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
    cleanups.push(() => bob.client.close());

    const texts = Array.from({ length: 24 }, (_, i) => `now or never #${i}`);
    const outcomes = await Promise.allSettled(texts.map((text) => alice.client.send('bob', text, { queue: false })));
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as RelayError).code);
    const stored = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [texts[i]] : []));
    // The budget lets a few through and turns the rest away: each is told the budget's reason,
    // though only one of them was the send it refused (the others waited behind that one).
    expect(stored.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(1);
    expect(new Set(refused)).toEqual(new Set(['rate_limited']));
    await waitFor(() => bob.received.length >= stored.length, 10_000, 'bob gets what was stored');
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.received.map((m) => m.text)).toEqual(stored);
  });

  it('a client keeps several messages on their way and, when the relay refuses some (its send budget), they still arrive once each, in order', async () => {
    const dir = tempDir();
    // Five a second: a burst of forty is refused again and again in the middle of a window.
    const relay = await testRelay(path.join(dir, 'relay'), 0, { config: { sendsPerSecond: 5 } });
    cleanups.push(() => relay.close());
    const capture = await captureProxy(Number(new URL(relay.url).port));
    cleanups.push(() => capture.close());
    const alice = await onlineClient(path.join(dir, 'alice'), capture, 'alice');
    cleanups.push(() => alice.client.close());
    const bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
    cleanups.push(() => bob.client.close());

    const texts = Array.from({ length: 40 }, (_, i) => `in order #${String(i + 1).padStart(2, '0')}`);
    const sent = await Promise.all(texts.map((text) => alice.client.send('bob', text)));
    await waitFor(() => bob.received.length >= texts.length, 60_000, 'all forty for bob');
    await new Promise((r) => setTimeout(r, 300)); // a late duplicate would be here by now

    expect(bob.received.map((m) => m.text)).toEqual(texts);
    expect(new Set(bob.received.map((m) => m.id)).size).toBe(texts.length);
    // Refused for now, a message waits in the outbox for its retry: never failed.
    expect(sent.filter((m) => m.state === 'failed')).toEqual([]);

    // What crossed the wire: several sends on their way at once, each naming the one before it,
    // refusals of the budget, and the sends behind a refused one turned away until it was stored.
    const frames = capture.frames().map((t) => JSON.parse(t) as Record<string, unknown>);
    const sends = frames.filter((f) => f.type === 'send' && !f.ephemeral);
    const codes = frames.filter((f) => f.type === 'error').map((f) => f.code);
    expect(sends.some((f) => typeof f.after === 'string')).toBe(true);
    expect(codes).toContain('rate_limited');
    expect(codes).toContain('out_of_order');
    let onTheirWay = 0;
    let most = 0;
    const asked = new Set(sends.map((f) => f.id));
    for (const f of frames) {
      if (f.type === 'send' && asked.has(f.id)) most = Math.max(most, ++onTheirWay);
      else if ((f.type === 'result' || f.type === 'error') && asked.has(f.id)) onTheirWay--;
    }
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(OUTBOX_WINDOW);
  }, 90_000);
});
