// Real relay on a loopback port, real WebSockets, real SQLite files, real headless clients.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import type { Relay } from '../../server/relay.js';
import { filesUnder, httpUrl, onlineClient, profileOf, relayIn, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { testBackendFor } from '../../bench/postgres.js';
import { relayRows } from '../relay-database.js';
import { RawSocket } from '../raw-socket.js';

const cleanups = useCleanups();

async function user(dir: string, relay: Relay, name: string) {
  const c = await onlineClient(path.join(dir, name), relay, name);
  cleanups.push(() => c.client.close());
  return c;
}

describe('two people chatting through a real relay', () => {
  it('registers, sends both ways, and marks delivery', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await user(dir, relay, 'alice');
    const bob = await user(dir, relay, 'Bob');
    expect(bob.client.username).toBe('bob');

    const sent = await alice.client.send('bob', 'hello bob');
    // Stored by the relay; the recipient, online, may have sent its receipt already.
    expect(['sent', 'delivered']).toContain(sent.state);
    expect(sent.serverTime).toEqual(expect.any(Number));
    await waitFor(() => bob.received.length === 1, 5000, 'bob receives');
    expect(bob.received[0]).toMatchObject({ id: sent.id, sender: 'alice', conversationId: 'alice', text: 'hello bob', outgoing: false });

    await bob.client.send('alice', 'hi alice');
    await waitFor(() => alice.received.length === 1, 5000, 'alice receives');
    expect(alice.received[0]).toMatchObject({ sender: 'bob', text: 'hi alice' });

    await waitFor(() => alice.client.message(sent.id)?.state === 'delivered', 5000, 'delivered receipt');
    const convo = alice.client.conversations();
    expect(convo).toHaveLength(1);
    expect(convo[0]).toMatchObject({ id: 'bob', unread: 1, lastMessage: { text: 'hi alice', outgoing: false } });
    expect(alice.client.messages('bob', 50).map((m) => m.text)).toEqual(['hello bob', 'hi alice']);
  });

  it('queues for an offline recipient until it connects, then delivers once', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await user(dir, relay, 'alice');
    const bobDir = path.join(dir, 'bob');
    const bob = await WarblerClient.register(bobDir, httpUrl(relay), 'bob');
    await bob.close(); // bob is offline from here

    for (let i = 0; i < 25; i++) await alice.client.send('bob', `offline ${i}`);

    const again = await onlineClient(bobDir, relay, 'bob');
    cleanups.push(() => again.client.close());
    await waitFor(() => again.received.length === 25, 10_000, 'backlog');
    expect(again.received.map((m) => m.text)).toEqual(Array.from({ length: 25 }, (_, i) => `offline ${i}`));

    // A reconnect finds nothing new: the relay deleted what was acked.
    await again.client.close();
    cleanups.pop();
    const third = await onlineClient(bobDir, relay, 'bob');
    cleanups.push(() => third.client.close());
    const drained = third.client.waitDrained(5000);
    third.client.reconnectNow();
    await drained;
    expect(third.received).toHaveLength(0);
    expect(third.client.messages('alice', 100)).toHaveLength(25);
  });

  it('keeps everything queued across a relay restart', async () => {
    const dir = tempDir();
    let relay = await testRelay(path.join(dir, 'relay'));
    const port = relay.port;
    const alice = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    const bob = await WarblerClient.register(path.join(dir, 'bob'), httpUrl(relay), 'bob');
    await bob.close();
    await alice.client.send('bob', 'before restart');
    await relay.close();

    // A message typed while the relay is down waits in alice's outbox.
    await waitFor(() => alice.client.connectionState !== 'online', 5000, 'alice notices');
    const queued = await alice.client.send('bob', 'typed while down');
    expect(queued.state).toBe('sending');

    relay = await testRelay(path.join(dir, 'relay'), port);
    cleanups.push(() => relay.close());
    cleanups.push(() => alice.client.close());
    alice.client.reconnectNow();
    await waitFor(() => alice.client.message(queued.id)?.state === 'sent', 10_000, 'outbox flushed');

    const bobAgain = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
    cleanups.push(() => bobAgain.client.close());
    await waitFor(() => bobAgain.received.length === 2, 10_000, 'both messages');
    expect(bobAgain.received.map((m) => m.text)).toEqual(['before restart', 'typed while down']);
  });

  it('drains a backlog of several batches: each message once, in order, the conversation told per batch, all acked', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await user(dir, relay, 'alice');
    const bobDir = path.join(dir, 'bob');
    await (await WarblerClient.register(bobDir, httpUrl(relay), 'bob')).close();
    const count = 700;
    for (let i = 0; i < count; i++) await alice.client.send('bob', `m${i}`, { queue: false });

    const bob = await WarblerClient.open(bobDir);
    cleanups.push(() => bob.close());
    const received: string[] = [];
    const unreadSeen: number[] = [];
    bob.on('received', (m) => received.push(m.text));
    bob.on('conversation', (c) => unreadSeen.push(c.unread));
    const drained = bob.waitDrained(30_000);
    bob.start();
    await drained;
    expect(received).toEqual(Array.from({ length: count }, (_, i) => `m${i}`));
    // Told once per stored batch (of at most 256), not once per message, and what it was told ends on all of them.
    expect(unreadSeen.length).toBeLessThan(count / 100);
    expect(unreadSeen.at(-1)).toBe(count);
    // "Drained" waits for the relay's answers to every ack: nothing is left for bob there.
    const left = await relayRows(path.join(dir, 'relay'), "SELECT count(*) AS n FROM envelopes WHERE kind = 'message'");
    expect(left).toEqual([{ n: 0 }]);
  });

  it('stores only ciphertext on the relay', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await user(dir, relay, 'alice');
    const bob = await WarblerClient.register(path.join(dir, 'bob'), httpUrl(relay), 'bob');
    await bob.close();
    const secret = 'the eagle lands at midnight';
    const sent = await alice.client.send('bob', secret);

    // First in the queues' journal (on SQLite), then, still waiting for bob, in the database.
    const inJournal = filesUnder(path.join(dir, 'relay'));
    if (!(await testBackendFor(path.join(dir, 'relay')))) expect(inJournal.some((bytes) => bytes.includes(Buffer.from(sent.id)))).toBe(true);
    const rows = await waitFor(async () => {
      const found = await relayRows(path.join(dir, 'relay'), 'SELECT * FROM envelopes');
      return found.length > 0 && found;
    }, 10_000, 'the envelope in the relay database');
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain('eagle');
    const files = [...inJournal, ...filesUnder(path.join(dir, 'relay'))];
    const { identity } = await profileOf(alice.client);
    for (const bytes of files) {
      expect(bytes.includes(Buffer.from('eagle'))).toBe(false);
      expect(bytes.includes(Buffer.from(identity.secretKey))).toBe(false);
    }
  });

  it('retrying a send after a lost answer stores it once', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await user(dir, relay, 'alice');
    const bob = await user(dir, relay, 'bob');
    const message = await alice.client.send('bob', 'only once');
    // The answer is lost with alice's connection; her device, connected again, retries: the same
    // message id, sealed anew.
    await alice.client.close();
    const device = await RawSocket.open(relay.url);
    cleanups.push(() => device.close());
    expect((await device.login((await profileOf(alice.client)).identity)).type).toBe('result');
    const devices = await device.request({ type: 'devices', id: 'd', username: 'bob' });
    const reply = await device.request({
      type: 'send',
      id: 's',
      messageId: message.id,
      recipients: ['bob'],
      envelopes: (devices.data as { devices: { key: string }[] }).devices.map((d) => ({ device: d.key, sealed: { kind: 'ratchet', body: 'QUJD' } })),
    });
    expect(reply.data).toMatchObject({ duplicate: true, serverTime: message.serverTime });
    await waitFor(() => bob.received.length === 1, 5000, 'first copy');
    await new Promise((r) => setTimeout(r, 200));
    expect(bob.received).toHaveLength(1);
  });

  it('a second process on the same device takes over and the first stops retrying', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const first = await user(dir, relay, 'alice');
    const fatal: string[] = [];
    first.client.on('fatal', (err) => fatal.push(err.code));
    const second = await WarblerClient.open(path.join(dir, 'alice'));
    cleanups.push(() => second.close());
    second.start();
    await second.waitOnline(5000);
    await waitFor(() => fatal.length > 0, 5000, 'first replaced');
    expect(fatal).toEqual(['replaced']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(first.client.connectionState).toBe('offline');
    expect(second.connectionState).toBe('online');
  });

  it('expires what waited longer than the queue TTL, and tells the device how many', async () => {
    const dir = tempDir();
    let clock = Date.now();
    const relay = await testRelay(path.join(dir, 'relay'), 0, { now: () => clock });
    cleanups.push(() => relay.close());
    const alice = await user(dir, relay, 'alice');
    const bobDir = path.join(dir, 'bob');
    await (await WarblerClient.register(bobDir, httpUrl(relay), 'bob')).close();
    for (const text of ['one', 'two', 'three']) await alice.client.send('bob', text);

    clock += 31 * 86_400_000;
    await alice.client.send('bob', 'fresh');
    const bob = await WarblerClient.open(bobDir);
    cleanups.push(() => bob.close());
    const expired: number[] = [];
    const received: string[] = [];
    bob.on('expired', (n) => expired.push(n));
    bob.on('received', (m) => received.push(m.text));
    const drained = bob.waitDrained(5000);
    bob.start();
    await drained;
    expect(expired).toEqual([3]);
    expect(received).toEqual(['fresh']);

    // Told once: the next login reports nothing more.
    const again = bob.waitDrained(5000);
    bob.reconnectNow();
    await again;
    expect(expired).toEqual([3]);
  });
});
