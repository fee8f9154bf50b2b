// Push streams and readers that are slow or have stopped: a catch-up of thousands of cached pushes
// waits for its reader instead of landing in the relay's memory at once, and a live stream whose
// reader has stopped is closed once STREAM_CLOSE_BYTES wait for it (server/push/stream-sink.ts).
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { httpUrl, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';

const TEXT = 'x'.repeat(4000);

async function publishMany(base: string, topic: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) =>
      fetch(`${base}/${topic}`, { method: 'POST', body: `${String(i + j).padStart(5, '0')} ${TEXT}` }),
    );
    for (const response of await Promise.all(batch)) {
      expect(response.status).toBe(200);
      ids.push(((await response.json()) as { id: string }).id);
    }
  }
  return ids;
}

describe('push streams and slow readers', () => {
  const cleanups = useCleanups();

  async function relayForPushes() {
    const relay = await testRelay(path.join(tempDir(), 'relay'), 0, { config: { visitorBurst: 100_000 } });
    cleanups.push(() => relay.close());
    return { relay, base: httpUrl(relay) };
  }

  it('a catch-up of 5,000 cached pushes (20 MB) to a reader that pauses arrives whole and in order, the stream kept open', async () => {
    const { base } = await relayForPushes();
    // Published in batches, so the cache's order is by publication time, then id: the order to expect.
    await publishMany(base, 'backlog', 5000);
    const cached = (await (await fetch(`${base}/backlog/json?poll=1&since=all`)).text()).trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(cached).toHaveLength(5000);

    const socket = new WebSocket(`${base.replace(/^http:/, 'ws:')}/backlog/ws?since=all`);
    cleanups.push(() => socket.terminate());
    const events: { id: string; event: string }[] = [];
    let closed = false;
    socket.on('message', (data) => events.push(JSON.parse(String(data)) as { id: string; event: string }));
    socket.on('close', () => (closed = true));
    await new Promise((resolve) => socket.once('open', resolve));
    // The reader stops for a moment while the relay has 20 MB to send it.
    const raw = (socket as unknown as { _socket: net.Socket })._socket;
    raw.pause();
    await new Promise((r) => setTimeout(r, 1500));
    raw.resume();
    await waitFor(() => closed || events.filter((e) => e.event === 'message').length >= 5000, 30_000, 'the whole catch-up');

    expect(closed).toBe(false);
    expect(events.filter((e) => e.event === 'message').map((e) => e.id)).toEqual(cached.map((m) => m.id));
  }, 60_000);

  it('a live stream whose reader has stopped is closed once 4 MB wait for it; the cache still holds every push for its return', async () => {
    const { relay, base } = await relayForPushes();
    const reader = net.connect(Number(new URL(relay.url).port), '127.0.0.1');
    cleanups.push(() => reader.destroy());
    let received = '';
    let ended = false;
    reader.on('data', (chunk: Buffer) => (received += chunk.toString()));
    reader.on('close', () => (ended = true));
    reader.write('GET /stopped/json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitFor(() => received.includes('"event":"open"'), 5000, 'the stream to open');
    reader.pause();

    // 16 MB for a reader that reads nothing: more than the kernel's buffers on both ends hold.
    const ids = await publishMany(base, 'stopped', 4000);
    reader.resume();
    await waitFor(() => ended, 15_000, 'the relay to close the stream');
    const delivered = received.split('\n').filter((l) => l.includes('"event":"message"')).length;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(ids.length);

    // Nothing is lost: the client that comes back finds every push in the cache.
    const cached = (await (await fetch(`${base}/stopped/json?poll=1&since=all`)).text()).trim().split('\n');
    expect(cached.map((l) => (JSON.parse(l) as { id: string }).id).sort()).toEqual([...ids].sort());
  }, 60_000);
});
