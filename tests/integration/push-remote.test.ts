// Topics on other ntfy-compatible servers: the app reads their JSON stream itself, catches up from
// where it left off, and keeps only what is in ntfy's format.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WarblerClient } from '../../core/client.js';
import { httpUrl, onlineClient, publishPush, relayIn, tempDir, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

describe('topics on another server', () => {
  it('are read from that server directly: cached pushes, live ones, a catch-up after a restart', async () => {
    const dir = tempDir();
    const own = await relayIn(dir, cleanups);
    const other = await relayIn(tempDir(), cleanups);
    const otherBase = httpUrl(other);
    const key = `${new URL(otherBase).host}/alerts`;
    const before = await publishPush(otherBase, 'alerts', 'from before', { Title: 'old' });

    const { client: alice } = await onlineClient(path.join(dir, 'alice'), own, 'alice');
    alice.subscribePush(key);
    await waitFor(() => alice.pushList(key, 10).length === 1, 5000, 'cached push');
    await publishPush(otherBase, 'alerts', 'disk at 91%', { Title: 'db-1', Priority: 'urgent', Tags: 'warning' });
    await waitFor(() => alice.pushList(key, 10).length === 2, 5000, 'live push');
    const [live, old] = alice.pushList(key, 10);
    expect(live).toMatchObject({ topic: key, message: 'disk at 91%', title: 'db-1', priority: 5, tags: ['warning'] });
    // Kept apart from any other server's ids.
    expect(old?.id).toBe(`${new URL(otherBase).host}/${before.id}`);
    // The same name on the account's own relay is another topic.
    await publishPush(httpUrl(own), 'alerts', 'own relay, not followed');
    await new Promise((r) => setTimeout(r, 200));
    expect(alice.pushList(undefined, 10)).toHaveLength(2);

    await alice.close();
    await publishPush(otherBase, 'alerts', 'missed one');
    const again = await WarblerClient.open(path.join(dir, 'alice'), { serverUrl: httpUrl(own) });
    cleanups.push(() => again.close());
    again.start();
    await waitFor(() => again.pushList(key, 10).length === 3, 5000, 'caught up');
    expect(again.pushList(key, 10).map((p) => p.message)).toEqual(['missed one', 'disk at 91%', 'from before']);

    // Unsubscribed: its pushes go, and nothing more is read.
    again.unsubscribePush(key);
    await publishPush(otherBase, 'alerts', 'after leaving');
    await new Promise((r) => setTimeout(r, 300));
    expect(again.pushList(undefined, 10)).toHaveLength(0);
  });

  it('skips what is not in ntfy’s format, and connects again, after the last push kept, when the stream ends', async () => {
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      const now = Math.floor(Date.now() / 1000);
      if (requests.length === 1) {
        res.write(`{"id":"o1","time":${now},"event":"open","topic":"ci"}\n`);
        res.write('not json at all\n');
        res.write(`{"id":"bad1","time":${now},"event":"message","topic":"ci","message":"too urgent","priority":9}\n`);
        res.write(`{"id":"m1","time":${now},"event":"message","topic":"ci","message":"build 1 passed"}\n`);
        // The stream ends: a server restarting, a proxy's timeout.
        res.end();
        return;
      }
      res.write(`{"id":"m2","time":${now},"event":"message","topic":"ci","message":"build 2 passed"}\n`);
      cleanups.push(() => res.end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    server.unref();
    const key = `127.0.0.1:${(server.address() as AddressInfo).port}/ci`;

    const dir = tempDir();
    const own = await relayIn(dir, cleanups);
    const { client: alice } = await onlineClient(path.join(dir, 'alice'), own, 'alice');
    cleanups.push(() => alice.close());
    alice.subscribePush(key);
    await waitFor(() => alice.pushList(key, 10).length === 2, 8000, 'both pushes, over two connections');
    expect(alice.pushList(key, 10).map((p) => p.message)).toEqual(['build 2 passed', 'build 1 passed']);
    expect(requests).toEqual(['/ci/json?since=all', '/ci/json?since=m1']);
  });
});
