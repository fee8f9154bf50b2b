// The app's side of push: following topics over the existing session, catching up after being
// away, and refusing pushes the relay did not sign.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../electron/core/client.js';
import { generateIdentity, sign } from '../../shared/crypto.js';
import { pushSignaturePayload } from '../../shared/push.js';
import { httpUrl, onlineClient, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

async function publish(base: string, topic: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/${topic}`, { method: 'POST', headers, body });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string };
}

describe('push in the app', () => {
  it('follows a topic over its session: cached pushes first, then live ones, marked read and unread', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const base = httpUrl(relay);
    await publish(base, 'ops', 'from before', { Title: 'old' });
    const { client: alice } = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => alice.close());
    alice.subscribePush('ops');
    await waitFor(() => alice.pushes.list('ops', 10).length === 1, 5000, 'cached push');
    await publish(base, 'ops', 'Backup done', { Title: 'nightly', Priority: 'high', Tags: 'warning' });
    await waitFor(() => alice.pushes.list('ops', 10).length === 2, 5000, 'live push');
    expect(alice.pushes.list('ops', 10)[0]).toMatchObject({ message: 'Backup done', title: 'nightly', priority: 4, tags: ['warning'], read: false });
    expect(alice.unreadCounts()).toEqual({ chat: 0, push: 2 });
    alice.pushes.markRead({ all: true });
    expect(alice.unreadCounts().push).toBe(0);
    // Other topics are not followed.
    await publish(base, 'elsewhere', 'not for alice');
    await new Promise((r) => setTimeout(r, 200));
    expect(alice.pushes.list(undefined, 10)).toHaveLength(2);
  });

  it('a subscriber that was away gets what it missed, once, and it survives a restart of both', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const base = httpUrl(relay);
    const first = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    first.client.subscribePush('ops');
    await publish(base, 'ops', 'seen live');
    await waitFor(() => first.client.pushes.list('ops', 10).length === 1, 5000, 'live');
    await first.client.close();
    await publish(base, 'ops', 'missed one');
    await publish(base, 'ops', 'missed two');

    const again = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: base });
    cleanups.push(() => again.close());
    again.start();
    await waitFor(() => again.pushes.list('ops', 10).length === 3, 5000, 'caught up');
    expect(again.pushes.list('ops', 10).map((p) => p.message)).toEqual(['missed two', 'missed one', 'seen live']);
  });

  it('refuses a push that the relay did not sign', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const { client: alice } = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => alice.close());
    alice.subscribePush('ops');
    const json = JSON.stringify({ id: 'forged000001', time: 1, expires: 2, event: 'message', topic: 'ops', message: 'click this' });
    const mallory = generateIdentity();
    alice.connection.emit('push', { type: 'push', json, signature: sign(pushSignaturePayload(json), mallory.secretKey) });
    alice.connection.emit('push', { type: 'push', json, signature: 'A'.repeat(86) });
    await publish(httpUrl(relay), 'ops', 'the real one');
    await waitFor(() => alice.pushes.list('ops', 10).length === 1, 5000, 'the real push');
    expect(alice.pushes.list('ops', 10).map((p) => p.message)).toEqual(['the real one']);
  });
});
