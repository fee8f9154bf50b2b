// The push API driven the way ntfy's documentation drives ntfy: curl-style publishes with headers,
// query parameters or JSON, then poll, since=, filters and live streams.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Relay } from '../../server/relay.js';
import { httpUrl, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';

const cleanups = useCleanups();

async function relayAt(dir: string, now?: () => number): Promise<{ relay: Relay; base: string }> {
  const relay = await testRelay(path.join(dir, 'relay'), 0, now ? { now } : {});
  cleanups.push(() => relay.close());
  return { relay, base: httpUrl(relay) };
}

/** What `curl -d BODY -H …` sends: a form content type, whatever the body is. */
async function publish(base: string, pathname: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function poll(base: string, pathname: string): Promise<Record<string, unknown>[]> {
  const text = await (await fetch(`${base}${pathname}`)).text();
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A streaming subscription: every line (or SSE block) as it arrives. */
function subscribe(url: string): { chunks: string[]; stop: () => void } {
  const controller = new AbortController();
  const chunks: string[] = [];
  void fetch(url, { signal: controller.signal })
    .then(async (response) => {
      const decoder = new TextDecoder();
      for await (const part of response.body!) chunks.push(decoder.decode(part as Uint8Array, { stream: true }));
    })
    .catch(() => undefined);
  cleanups.push(() => controller.abort());
  return { chunks, stop: () => controller.abort() };
}

describe('publishing, as ntfy’s curl examples do', () => {
  it('takes the message from the body and the rest from headers, and answers with the stored message', async () => {
    const { base } = await relayAt(tempDir());
    const before = Math.floor(Date.now() / 1000);
    const { status, json } = await publish(base, '/ops-alerts', 'Backup done', {
      Title: 'nightly',
      Priority: 'high',
      Tags: 'warning,skull',
      'X-Click': 'https://example.com/backups',
      'X-Actions': 'view, Open log, https://example.com/log; http, Retry, https://example.com/retry, method=PUT',
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      event: 'message',
      topic: 'ops-alerts',
      message: 'Backup done',
      title: 'nightly',
      priority: 4,
      tags: ['warning', 'skull'],
      click: 'https://example.com/backups',
      actions: [
        { action: 'view', label: 'Open log', url: 'https://example.com/log' },
        { action: 'http', label: 'Retry', url: 'https://example.com/retry', method: 'PUT' },
      ],
    });
    expect(json.id).toMatch(/^[A-Za-z0-9]{12}$/);
    expect(json.time).toBeGreaterThanOrEqual(before);
    expect(json.expires).toBe((json.time as number) + 12 * 3600);
    expect(await poll(base, '/ops-alerts/json?poll=1')).toEqual([json]);
  });

  it('takes the same fields as lowercase query parameters, on PUT, on GET …/publish and as JSON', async () => {
    const { base } = await relayAt(tempDir());
    const put = await fetch(`${base}/backups?t=Nightly&p=urgent&ta=tada&md=1`, { method: 'PUT', body: '**done**\n' });
    expect(await put.json()).toMatchObject({ title: 'Nightly', priority: 5, tags: ['tada'], message: '**done**', content_type: 'text/markdown' });
    const webhook = await fetch(`${base}/backups/publish?message=from+a+webhook&title=hook&prio=min`);
    expect(await webhook.json()).toMatchObject({ message: 'from a webhook', title: 'hook', priority: 1 });
    const json = await fetch(`${base}/`, {
      method: 'POST',
      body: JSON.stringify({ topic: 'backups', message: 'as JSON', title: 'j', tags: ['a', 'b'], priority: 2, click: 'https://example.com' }),
    });
    expect(await json.json()).toMatchObject({ topic: 'backups', message: 'as JSON', title: 'j', tags: ['a', 'b'], priority: 2 });
    const empty = await publish(base, '/backups', '');
    expect(empty.json.message).toBe('triggered');
    expect((await poll(base, '/backups/json?poll=1')).map((m) => m.message)).toEqual(['**done**', 'from a webhook', 'as JSON', 'triggered']);
  });

  it('refuses bad input with a JSON error that names the field, and keeps serving', async () => {
    const { base } = await relayAt(tempDir());
    const cases: [string, string, Record<string, string>, number, string][] = [
      ['/a%20topic', 'x', {}, 400, 'topic'],
      [`/${'t'.repeat(65)}`, 'x', {}, 400, 'topic'],
      ['/alerts', 'x', { Priority: '9' }, 400, 'priority'],
      ['/alerts', 'x', { Delay: '5s' }, 400, 'delay'],
      ['/alerts', 'x', { Delay: '4d' }, 400, 'delay'],
      ['/alerts', 'x', { Click: 'javascript:alert(1)' }, 400, 'click'],
      ['/alerts', 'x', { Actions: 'launch, Go, nowhere' }, 400, 'actions'],
      ['/alerts', 'é'.repeat(2049), {}, 413, 'message'],
    ];
    for (const [pathname, body, headers, status, field] of cases) {
      const reply = await publish(base, pathname, body, headers);
      expect(reply, `${pathname} ${JSON.stringify(headers)}`).toMatchObject({ status, json: { http: status, field } });
      expect(typeof reply.json.error).toBe('string');
    }
    const notJson = await fetch(`${base}/`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect((await publish(base, '/alerts', 'still fine')).status).toBe(200);
  });
});

describe('subscribing', () => {
  it('poll with since= (all, latest, a duration, a Unix time, a message id) and filters, over several topics', async () => {
    let offset = 0;
    const { base } = await relayAt(tempDir(), () => Date.now() + offset);
    const first = (await publish(base, '/a', 'one', { Priority: 'low', Tags: 'x' })).json;
    offset += 20 * 60_000;
    const second = (await publish(base, '/b', 'two', { Priority: 'high', Tags: 'x,y' })).json;
    const third = (await publish(base, '/a', 'three')).json;
    const texts = async (query: string) => (await poll(base, `/a,b/json?poll=1&${query}`)).map((m) => m.message);
    expect(await texts('since=all')).toEqual(['one', 'two', 'three']);
    expect(await texts('since=latest')).toEqual(['three']);
    expect(await texts('since=10m')).toEqual(['two', 'three']);
    expect(await texts(`since=${second.time as number}`)).toEqual(['two', 'three']);
    expect(await texts(`since=${first.id as string}`)).toEqual(['two', 'three']);
    expect(await texts('since=all&priority=high,low')).toEqual(['one', 'two']);
    expect(await texts('since=all&tags=x,y')).toEqual(['two']);
    expect((await poll(base, '/a/json?poll=1')).map((m) => m.id)).toEqual([first.id, third.id]);
    const bad = await fetch(`${base}/a/json?poll=1&since=yesterday!`);
    expect(bad.status).toBe(400);
  });

  it('streams: an open event, then what is published, live; uncached pushes reach only who listens now', async () => {
    const { base } = await relayAt(tempDir());
    const stream = subscribe(`${base}/live/json`);
    await waitFor(() => stream.chunks.join('').includes('"event":"open"'), 5000, 'open');
    await publish(base, '/live', 'hello listeners', { 'X-Cache': 'no' });
    await waitFor(() => stream.chunks.join('').includes('hello listeners'), 5000, 'live message');
    const events = stream.chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; topic: string });
    expect(events.map((e) => e.event)).toEqual(['open', 'message']);
    expect(events[0]!.topic).toBe('live');
    expect(await poll(base, '/live/json?poll=1')).toEqual([]);

    const sse = subscribe(`${base}/live/sse?since=all`);
    await publish(base, '/live', 'for event sources');
    await waitFor(() => sse.chunks.join('').includes('for event sources'), 5000, 'sse message');
    const blocks = sse.chunks.join('').split('\n\n').filter(Boolean);
    expect(blocks[0]).toMatch(/^event: open\ndata: \{/);
    expect(blocks[1]).toMatch(/^id: [A-Za-z0-9]{12}\ndata: \{.*"message":"for event sources"/);
  });

  it('keeps the cache across a restart, hides delayed messages until due, and drops expired ones', async () => {
    const dir = tempDir();
    let offset = 0;
    const first = await relayAt(dir, () => Date.now() + offset);
    await publish(first.base, '/kept', 'survives a restart');
    const delayed = await publish(first.base, '/kept', 'in an hour', { In: '1h' });
    expect(delayed.json.time).toBeGreaterThan(Math.floor(Date.now() / 1000) + 3500);
    await first.relay.close();

    const second = await relayAt(dir, () => Date.now() + offset);
    expect((await poll(second.base, '/kept/json?poll=1')).map((m) => m.message)).toEqual(['survives a restart']);
    offset += 3601_000;
    expect((await poll(second.base, '/kept/json?poll=1')).map((m) => m.message)).toEqual(['survives a restart', 'in an hour']);
    // 12 h after the first was published it is gone; the delayed one counts its 12 h from when it was due.
    offset += 12 * 3600_000 - 60_000;
    expect((await poll(second.base, '/kept/json?poll=1')).map((m) => m.message)).toEqual(['in an hour']);
  });
});
