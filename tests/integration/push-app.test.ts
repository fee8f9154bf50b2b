// The app's side of push: following topics over the existing session, catching up after being
// away, and refusing pushes the relay did not sign.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { generateIdentity, sign, verify } from '../../shared/crypto.js';
import { pushSignaturePayload } from '../../shared/push.js';
import { captureProxy } from '../capture-proxy.js';
import { httpUrl, onlineClient, publishPush, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';
import { RawSocket } from '../raw-socket.js';

const cleanups = useCleanups();

describe('push in the app', () => {
  it('follows a topic over its session: cached pushes first, then live ones, marked read and unread', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const base = httpUrl(relay);
    await publishPush(base, 'ops', 'from before', { Title: 'old' });
    const { client: alice } = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => alice.close());
    alice.subscribePush('ops');
    await waitFor(() => alice.pushList('ops', 10).length === 1, 5000, 'cached push');
    await publishPush(base, 'ops', 'Backup done', { Title: 'nightly', Priority: 'high', Tags: 'warning' });
    await waitFor(() => alice.pushList('ops', 10).length === 2, 5000, 'live push');
    expect(alice.pushList('ops', 10)[0]).toMatchObject({ message: 'Backup done', title: 'nightly', priority: 4, tags: ['warning'], read: false });
    expect(alice.unreadCounts()).toEqual({ chat: 0, push: 2 });
    alice.markPushesRead({ all: true });
    expect(alice.unreadCounts().push).toBe(0);
    // Other topics are not followed.
    await publishPush(base, 'elsewhere', 'not for alice');
    await new Promise((r) => setTimeout(r, 200));
    expect(alice.pushList(undefined, 10)).toHaveLength(2);
  });

  it('a subscriber that was away gets what it missed, once, and it survives a restart of both', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const base = httpUrl(relay);
    const first = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    first.client.subscribePush('ops');
    await publishPush(base, 'ops', 'seen live');
    await waitFor(() => first.client.pushList('ops', 10).length === 1, 5000, 'live');
    await first.client.close();
    await publishPush(base, 'ops', 'missed one');
    await publishPush(base, 'ops', 'missed two');

    const again = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: base });
    cleanups.push(() => again.close());
    again.start();
    await waitFor(() => again.pushList('ops', 10).length === 3, 5000, 'caught up');
    expect(again.pushList('ops', 10).map((p) => p.message)).toEqual(['missed two', 'missed one', 'seen live']);
  });

  it('a burst of publishes reaches every session that follows the topic once, signed, in one order, after its catch-up', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const base = httpUrl(relay);
    await publishPush(base, 'fan', 'cached');
    const sessions: RawSocket[] = [];
    for (let i = 0; i < 4; i++) {
      const raw = await RawSocket.open(relay.url);
      cleanups.push(() => raw.close());
      await raw.register(`fan${i}`);
      expect(await raw.request({ type: 'push-subscribe', id: 's', topics: [{ topic: 'fan', after: null }] })).toMatchObject({ type: 'result' });
      sessions.push(raw);
    }
    const { client: app } = await onlineClient(path.join(dir, 'app'), relay, 'app');
    cleanups.push(() => app.close());
    app.subscribePush('fan');
    await waitFor(() => app.pushList('fan', 10).length === 1, 5000, 'the app caught up');

    const bodies = ['one', 'two', 'three', 'four', 'five'];
    // Sent together, so that the relay handles several in one turn of its event loop.
    await Promise.all(bodies.map((body, i) => publishPush(base, 'fan', body, { Priority: String(1 + i) })));
    const pushesOf = (raw: RawSocket) => raw.frames.filter((f) => f.type === 'push') as { json: string; signature: string }[];
    await waitFor(() => sessions.every((raw) => pushesOf(raw).length >= 6) && app.pushList('fan', 10).length >= 6, 5000, 'every push everywhere');
    await new Promise((r) => setTimeout(r, 200));

    const relayKey = sessions[0]!.frames.find((f) => f.type === 'challenge')!.relayKey as string;
    const order = pushesOf(sessions[0]!).map((p) => (JSON.parse(p.json) as { message: string }).message);
    expect(order[0]).toBe('cached');
    expect([...order.slice(1)].sort()).toEqual([...bodies].sort());
    for (const raw of sessions) {
      const pushes = pushesOf(raw);
      expect(pushes.map((p) => (JSON.parse(p.json) as { message: string }).message)).toEqual(order);
      expect(pushes.every((p) => verify(pushSignaturePayload(p.json), p.signature, relayKey))).toBe(true);
      expect(raw.binaryFrames).toBe(0);
    }
    // The app lists by time, to the second: the burst may straddle one, so only what it has is compared.
    expect(app.pushList('fan', 10).map((p) => p.message).sort()).toEqual([...order].sort());
  });

  it('refuses a frame that names a topic twice; the session follows each topic once, and not at all after unsubscribe', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const base = httpUrl(relay);
    const raw = await RawSocket.open(relay.url);
    cleanups.push(() => raw.close());
    await raw.register('twice');
    const again = Array.from({ length: 1000 }, () => ({ topic: 'dup', after: null }));
    expect(await raw.request({ type: 'push-subscribe', id: 'd', topics: again })).toMatchObject({ type: 'error', code: 'bad_frame' });
    // The session goes on: the topic once, then a second time in another frame, is followed once.
    for (const id of ['s1', 's2']) expect(await raw.request({ type: 'push-subscribe', id, topics: [{ topic: 'dup', after: null }] })).toMatchObject({ type: 'result' });
    await publishPush(base, 'dup', 'once');
    await raw.next((f) => f.type === 'push');
    expect(await raw.request({ type: 'push-unsubscribe', id: 'u', topics: ['dup'] })).toMatchObject({ type: 'result' });
    await publishPush(base, 'dup', 'not followed any more');
    // A ping answered after the publish: anything sent for it would have come first.
    expect(await raw.request({ type: 'ping', id: 'p' })).toMatchObject({ type: 'result' });
    const pushes = raw.frames.filter((f) => f.type === 'push').map((f) => (JSON.parse(f.json as string) as { message: string }).message);
    expect(pushes).toEqual(['once']);
  });

  it('refuses a push that the relay did not sign', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    // Mallory sits between alice and the relay, and slips pushes of her own into alice's session.
    const middle = await captureProxy(relay.port);
    cleanups.push(() => middle.close());
    const alice = await WarblerClient.register(path.join(dir, 'alice'), middle.url, 'alice');
    cleanups.push(() => alice.close());
    alice.start();
    await alice.waitOnline(10_000);
    alice.subscribePush('ops');
    const json = JSON.stringify({ id: 'forged000001', time: 1, expires: 2, event: 'message', topic: 'ops', message: 'click this' });
    const mallory = generateIdentity();
    middle.toDevice(alice.deviceKey, { type: 'push', json, signature: sign(pushSignaturePayload(json), mallory.secretKey) });
    middle.toDevice(alice.deviceKey, { type: 'push', json, signature: 'A'.repeat(86) });
    await publishPush(httpUrl(relay), 'ops', 'the real one');
    await waitFor(() => alice.pushList('ops', 10).length === 1, 5000, 'the real push');
    expect(alice.pushList('ops', 10).map((p) => p.message)).toEqual(['the real one']);
  });
});
