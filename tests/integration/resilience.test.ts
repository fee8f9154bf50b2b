// The client against a hostile or forgetful relay, and message order across reconnects.
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { MAX_TEXT_BYTES } from '../../shared/protocol.js';
import { startRelay } from '../../server/relay.js';
import { RelayConfig } from '../../server/config.js';
import { openSqliteRelayStores } from '../../server/storage/sqlite/relay-stores.js';
import { fakeRelay, httpUrl, onlineClient, relayIn, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

describe('a hostile relay', () => {
  it('cannot crash the client with frames that are not what the protocol says', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await WarblerClient.register(path.join(dir, 'alice'), httpUrl(relay), 'alice');
    await alice.close();

    const hostile = await fakeRelay(cleanups, (ws) => {
      for (const junk of ['null', '42', '"text"', '[]', '{"type":"result","id":"1","data":null}', '{"type":"envelope"}', 'not json']) ws.send(junk);
    });
    const client = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: hostile.url });
    cleanups.push(() => client.close());
    client.start();
    // It drops each bad link and tries again, alive.
    await waitFor(() => hostile.connections() >= 2, 10_000, 'a second attempt');
    expect(client.connectionState).not.toBe('online');
  });

  it('stops retrying, and says why, when the relay does not know the device', async () => {
    const dir = tempDir();
    const first = await relayIn(dir, cleanups);
    const alice = await WarblerClient.register(path.join(dir, 'alice'), httpUrl(first), 'alice');
    await alice.close();
    const other = await testRelay(path.join(dir, 'other-relay'));
    cleanups.push(() => other.close());

    const client = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: httpUrl(other) });
    cleanups.push(() => client.close());
    const fatal: string[] = [];
    const states: string[] = [];
    client.on('fatal', (err) => fatal.push(err.code));
    client.on('state', (s) => states.push(s));
    client.start();
    await waitFor(() => fatal.length > 0, 5000, 'fatal');
    await new Promise((r) => setTimeout(r, 1500));
    expect(fatal).toEqual(['unknown_device']);
    expect(client.connectionState).toBe('offline');
    expect(client.lastConnectionError?.code).toBe('unknown_device');
    expect(states.filter((s) => s === 'connecting')).toHaveLength(1);
  });
});

describe('a connection that dies silently', () => {
  it('is noticed by the heartbeat and replaced, without any close from the network', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await WarblerClient.register(path.join(dir, 'alice'), httpUrl(relay), 'alice');
    await alice.close();

    // A proxy that can freeze its connections: bytes stop flowing, but nothing is closed (a dead Wi-Fi).
    const frozen: net.Socket[] = [];
    const live = new Set<net.Socket>();
    const proxy = net.createServer((downstream) => {
      const upstream = net.connect(relay.port, '127.0.0.1');
      downstream.pipe(upstream).pipe(downstream);
      live.add(downstream).add(upstream);
      downstream.on('error', () => undefined);
      upstream.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      for (const socket of [...live, ...frozen]) socket.destroy();
      return new Promise((r) => proxy.close(r));
    });
    const { port } = proxy.address() as net.AddressInfo;

    const client = await WarblerClient.open(path.join(dir, 'alice'), {
      serverUrl: `http://127.0.0.1:${port}`,
      timing: { pingEveryMs: 200, requestTimeoutMs: 300 },
    });
    cleanups.push(() => client.close());
    const states: string[] = [];
    client.on('state', (s) => states.push(s));
    client.start();
    await client.waitOnline(5000);

    for (const socket of live) {
      socket.unpipe();
      socket.pause();
      frozen.push(socket);
    }
    live.clear();
    // ping every 200 ms, answer within 300 ms: noticed in about half a second (with the defaults,
    // 40 s); the bound leaves room for a machine busy with the rest of the suite.
    await waitFor(() => states.at(-1) === 'connecting', 10_000, 'the dead link noticed');
    await client.waitOnline(5000);
    expect(states).toEqual(['connecting', 'online', 'connecting', 'online']);
  });
});

describe('a relay that fails a request', () => {
  it('gets the message again a moment later, without waiting for a reconnect', async () => {
    const dir = tempDir();
    const stores = openSqliteRelayStores(path.join(dir, 'relay'));
    let failures = 1;
    const storeMessage = stores.queues.storeMessage.bind(stores.queues);
    stores.queues.storeMessage = (m, limits) => (failures-- > 0 ? Promise.reject(new Error('disk hiccup')) : storeMessage(m, limits));
    const relay = await startRelay({
      config: RelayConfig.parse({ port: 0, host: '127.0.0.1', data: path.join(dir, 'relay'), logLevel: 'silent' }),
      stores,
    });
    cleanups.push(() => relay.close());
    const alice = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => alice.client.close());
    const bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
    cleanups.push(() => bob.client.close());
    const message = await alice.client.send('bob', 'second time lucky');
    expect(message.state).toBe('sending');
    await waitFor(() => bob.received.length === 1, 5000, 'retried');
    expect(alice.client.message(message.id)?.state).not.toBe('failed');
  });
});

describe('order and size', () => {
  it('keeps order when a message is sent the moment the connection returns', async () => {
    const dir = tempDir();
    let relay = await testRelay(path.join(dir, 'relay'));
    const port = relay.port;
    const alice = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => alice.client.close());
    const bob = await WarblerClient.register(path.join(dir, 'bob'), httpUrl(relay), 'bob');
    await bob.close();
    await alice.client.send('bob', 'A'); // warms the device cache
    await relay.close();
    await waitFor(() => alice.client.connectionState !== 'online', 5000, 'offline');
    await alice.client.send('bob', 'B');
    await alice.client.send('bob', 'C');

    relay = await testRelay(path.join(dir, 'relay'), port);
    cleanups.push(() => relay.close());
    const sentD = new Promise((resolve) =>
      alice.client.on('state', (state) => {
        if (state === 'online') resolve(alice.client.send('bob', 'D'));
      }),
    );
    alice.client.reconnectNow();
    await sentD;

    const bobAgain = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
    cleanups.push(() => bobAgain.client.close());
    await waitFor(() => bobAgain.received.length === 4, 10_000, 'all four');
    expect(bobAgain.received.map((m) => m.text)).toEqual(['A', 'B', 'C', 'D']);
    expect(bobAgain.client.messages('alice', 10).map((m) => m.text)).toEqual(['A', 'B', 'C', 'D']);
  });

  it('delivers a message of the largest allowed size, and refuses a larger one before sending', async () => {
    const dir = tempDir();
    const relay = await relayIn(dir, cleanups);
    const alice = await onlineClient(path.join(dir, 'alice'), relay, 'alice');
    cleanups.push(() => alice.client.close());
    const bob = await onlineClient(path.join(dir, 'bob'), relay, 'bob');
    cleanups.push(() => bob.client.close());
    const longest = '界'.repeat(Math.floor(MAX_TEXT_BYTES / 3));
    await alice.client.send('bob', longest, { queue: false });
    await waitFor(() => bob.received.length === 1, 5000, 'long message');
    expect(bob.received[0]?.text).toBe(longest);
    await expect(alice.client.send('bob', `${longest}界`)).rejects.toThrow(/at most 16384 bytes/);
  });
});
