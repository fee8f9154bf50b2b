// Nothing lost, nothing duplicated, in order: through relay crashes, dropped connections and restarts.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { startRelayProcess, type RelayProcess } from '../../bench/process.js';
import { tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

async function relayProcess(dir: string, port?: number): Promise<RelayProcess> {
  const relay = await startRelayProcess(path.join(dir, 'relay'), port);
  cleanups.push(() => relay.stop());
  return relay;
}

async function online(dir: string, url: string, name: string, register: boolean): Promise<{ client: WarblerClient; texts: string[] }> {
  const client = register ? await WarblerClient.register(path.join(dir, name), url, name) : await WarblerClient.open(path.join(dir, name));
  cleanups.push(() => client.close());
  const texts: string[] = [];
  client.on('received', (m) => texts.push(m.text));
  client.start();
  await client.waitOnline(10_000);
  return { client, texts };
}

const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i}`);

describe('delivery guarantees', () => {
  it('kill -9 of the relay in the middle of a 2,000-message burst: every message arrives exactly once, in order', async () => {
    const dir = tempDir();
    let relay = await relayProcess(dir);
    const alice = await online(dir, relay.url, 'alice', true);
    const bob = await online(dir, relay.url, 'bob', true);
    const expected = numbered('burst', 2000);

    const sends = expected.map((text) => alice.client.send('bob', text));
    await waitFor(() => bob.texts.length >= 400, 60_000, 'part of the burst');
    relay.child.kill('SIGKILL');
    await new Promise((resolve) => relay.child.once('exit', resolve));
    relay = await relayProcess(dir, relay.port);
    alice.client.reconnectNow();
    bob.client.reconnectNow();

    await Promise.all(sends);
    await waitFor(() => bob.texts.length >= 2000, 120_000, 'the whole burst');
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.texts).toHaveLength(2000);
    expect(bob.texts).toEqual(expected);
    expect(bob.client.messages('alice', 3000).map((m) => m.text)).toEqual(expected);
    expect(alice.client.outboxEmpty()).toBe(true);
  });

  it('random connection drops while two people write to each other: each message once, in order', async () => {
    const dir = tempDir();
    const relay = await relayProcess(dir);
    const alice = await online(dir, relay.url, 'alice', true);
    const bob = await online(dir, relay.url, 'bob', true);
    const fromAlice = numbered('from alice', 300);
    const fromBob = numbered('from bob', 300);

    let chaos = true;
    const dropper = (async () => {
      // A seeded walk, so a failure can be replayed.
      let seed = 42;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      while (chaos) {
        await new Promise((r) => setTimeout(r, 30 + random() * 150));
        (random() < 0.5 ? alice : bob).client.reconnectNow();
      }
    })();
    await Promise.all([
      ...fromAlice.map((text) => alice.client.send('bob', text)),
      ...fromBob.map((text) => bob.client.send('alice', text)),
    ]);
    await waitFor(() => bob.texts.length >= 300 && alice.texts.length >= 300, 60_000, 'both directions');
    chaos = false;
    await dropper;
    await new Promise((r) => setTimeout(r, 300));
    expect(bob.texts).toEqual(fromAlice);
    expect(alice.texts).toEqual(fromBob);
  });

  it('a message written while the relay is down survives a client restart and is delivered once', async () => {
    const dir = tempDir();
    const relay = await relayProcess(dir);
    const { port, url } = relay;
    const alice = await online(dir, url, 'alice', true);
    await (await WarblerClient.register(path.join(dir, 'bob'), url, 'bob')).close();
    await alice.client.send('bob', 'warm-up');
    await relay.stop();

    await waitFor(() => alice.client.connectionState !== 'online', 5000, 'alice offline');
    const queued = await alice.client.send('bob', 'typed offline');
    expect(queued.state).toBe('sending');
    await alice.client.close(); // the app is quit

    await relayProcess(dir, port);
    const reopened = await online(dir, url, 'alice', false);
    await waitFor(() => reopened.client.message(queued.id)?.state === 'sent', 10_000, 'sent after restart');
    // The CLI reads bob's queue the way a script would.
    const cli = path.resolve('dist/cli/main.js');
    const lines = execFileSync(process.execPath, [cli, '--profile', path.join(dir, 'bob'), 'sync', '--json'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { text: string }).text);
    expect(lines).toEqual(['warm-up', 'typed offline']);
  });
});
