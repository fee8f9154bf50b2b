// The push API driven the way ntfy's documentation drives ntfy: curl-style publishes with headers,
// query parameters or JSON, then poll, since=, filters and live streams.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import WebSocket from 'ws';
import { runCommand } from '../../server/commands.js';
import type { RelayCommand } from '../../server/config.js';
import type { Relay } from '../../server/relay.js';
import { httpUrl, tempDir, testRelay, useCleanups, waitFor } from '../helpers.js';
import { relayRows, relayStores } from '../relay-database.js';

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

  it('refuses bad input with a JSON error that names the field (ntfy’s code where ntfy has one), and keeps serving', async () => {
    const { base } = await relayAt(tempDir());
    const cases: [string, string, Record<string, string>, number, number, string][] = [
      ['/a%20topic', 'x', {}, 400, 40009, 'topic'],
      [`/${'t'.repeat(65)}`, 'x', {}, 400, 40009, 'topic'],
      ['/alerts', 'x', { Priority: '9' }, 400, 40007, 'priority'],
      ['/alerts', 'x', { Delay: 'soon' }, 400, 40004, 'delay'],
      ['/alerts', 'x', { Delay: '5s' }, 400, 40005, 'delay'],
      ['/alerts', 'x', { Delay: '4d' }, 400, 40006, 'delay'],
      ['/alerts', 'x', { Click: 'javascript:alert(1)' }, 400, 40099, 'click'],
      ['/alerts', 'x', { Icon: 'ftp://icons.example/x.png' }, 400, 40021, 'icon'],
      ['/alerts', 'x', { Actions: 'launch, Go, nowhere' }, 400, 40018, 'actions'],
      // A message given as such (not as the body, which would become an attachment) is at most 4,096 bytes.
      [`/alerts?message=${'x'.repeat(4097)}`, '', {}, 413, 41399, 'message'],
    ];
    for (const [pathname, body, headers, status, code, field] of cases) {
      const reply = await publish(base, pathname, body, headers);
      expect(reply, `${pathname} ${JSON.stringify(headers)}`).toMatchObject({ status, json: { code, http: status, field } });
      expect(typeof reply.json.error).toBe('string');
    }
    const notJson = await fetch(`${base}/`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ code: 40024, http: 400, error: 'the body is not JSON', field: 'body' });
    const notAPublish = await fetch(`${base}/`, { method: 'POST', body: JSON.stringify({ message: 'no topic' }) });
    expect(await notAPublish.json()).toMatchObject({ code: 40017, http: 400, field: 'topic' });
    const badSince = await fetch(`${base}/alerts/json?poll=1&since=one-day`);
    expect(await badSince.json()).toMatchObject({ code: 40008, http: 400, field: 'since' });
    // A JSON publish over 64 KiB, refused as its body is read: the same shape.
    const huge = await fetch(`${base}/`, { method: 'POST', body: JSON.stringify({ topic: 'alerts', message: 'x'.repeat(70 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ code: 41399, http: 413 });
    expect((await publish(base, '/alerts', 'still fine')).status).toBe(200);
  });

  it('keeps the status of a refusal Fastify makes before any route, in ntfy’s shape', async () => {
    const { base } = await relayAt(tempDir());
    // A content type that is not a media type: Fastify's 415, which the error table has no code for.
    const unreadable = await fetch(`${base}/alerts`, { method: 'POST', headers: { 'content-type': 'nonsense' }, body: 'x' });
    expect(unreadable.status).toBe(415);
    expect(await unreadable.json()).toEqual({ code: 41500, http: 415, error: 'Unsupported Media Type' });
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

describe('limits', () => {
  it('answers 429 beyond a client’s request budget and open subscriptions, and serves it again once refilled', async () => {
    let offset = 0;
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'), 0, {
      now: () => Date.now() + offset,
      config: { visitorBurst: 3, visitorRefillMs: '10s', visitorSubscriptions: 1 },
    });
    cleanups.push(() => relay.close());
    const base = httpUrl(relay);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await publish(base, '/limited', `n${i}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await publish(base, '/limited', 'again');
    expect(refused.json).toMatchObject({ code: 42901, http: 429 });
    offset += 10_000;
    expect((await publish(base, '/limited', 'after a refill')).status).toBe(200);

    offset += 60_000;
    const first = subscribe(`${base}/limited/json`);
    await waitFor(() => first.chunks.join('').includes('"open"'), 5000, 'first stream');
    const second = await fetch(`${base}/limited/json`);
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({ code: 42903, http: 429 });
    first.stop();
    // Once the relay has seen the first stream close, a new one may open.
    const deadline = Date.now() + 5000;
    let status = 429;
    while (status === 429 && Date.now() < deadline) {
      offset += 10_000;
      const controller = new AbortController();
      status = (await fetch(`${base}/limited/json`, { signal: controller.signal })).status;
      controller.abort();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
  });
});

describe('WebSocket subscriptions', () => {
  it('are charged to the visitor budget like every other request', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'), 0, { config: { visitorBurst: 2, visitorRefillMs: '1h' } });
    cleanups.push(() => relay.close());
    const open = () =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(`${httpUrl(relay).replace('http', 'ws')}/budget/ws`);
        cleanups.push(() => socket.close());
        socket.on('open', () => resolve(101));
        socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        socket.on('error', () => resolve(0));
      });
    expect([await open(), await open(), await open()]).toEqual([101, 101, 429]);
  });

  it('sends the open event, the cached messages asked for, then live ones, one JSON object per frame', async () => {
    const { base } = await relayAt(tempDir());
    await publish(base, '/ws-topic', 'cached one');
    const socket = new WebSocket(`${base.replace('http', 'ws')}/ws-topic/ws?since=all`);
    const frames: { event: string; message?: string }[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(data.toString()) as { event: string; message?: string }));
    cleanups.push(() => socket.close());
    await waitFor(() => frames.length === 2, 5000, 'open and cached');
    await publish(base, '/ws-topic', 'live one');
    await waitFor(() => frames.length === 3, 5000, 'live');
    expect(frames.map((f) => [f.event, f.message])).toEqual([['open', undefined], ['message', 'cached one'], ['message', 'live one']]);
  });
});

describe('raw subscriptions', () => {
  it('give each message one line, whatever line breaks it holds (\\r too, which terminals obey)', async () => {
    const { base } = await relayAt(tempDir());
    const raw = subscribe(`${base}/lines/raw`);
    await waitFor(() => raw.chunks.length > 0, 5000, 'the stream open');
    await publish(base, '/lines', 'first\r\nsecond\rthird\nfourth');
    await waitFor(() => raw.chunks.join('').includes('fourth'), 5000, 'the message');
    expect(raw.chunks.join('')).toBe('\nfirst  second third fourth\n');
  });
});

describe('fan-out', () => {
  it('a burst of publishes reaches every subscriber of every format once, in one order, each through its own filters', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'), 0, { config: { visitorSubscriptions: 100, visitorBurst: 100 } });
    cleanups.push(() => relay.close());
    const base = httpUrl(relay);
    const filters = { all: '', high: 'priority=high', deploy: 'tags=deploy' } as const;
    /** Each subscription's received message texts, as it parses its own format. */
    const received: { format: string; filter: keyof typeof filters; texts: () => string[]; opened: () => boolean }[] = [];
    // Browsers read a binary frame as a Blob, not as text: every frame must be text.
    let binaryFrames = 0;
    const messagesOf = (objects: { event: string; message?: string }[]) => objects.filter((o) => o.event === 'message').map((o) => o.message!);
    // What has arrived up to its last separator: a chunk may end inside a line.
    const complete = (chunks: string[], separator: string) => chunks.join('').split(separator).slice(0, -1);
    const jsonLines = (chunks: string[]) => complete(chunks, '\n').filter(Boolean).map((l) => JSON.parse(l) as { event: string; message?: string });
    for (const filter of Object.keys(filters) as (keyof typeof filters)[]) {
      const query = filters[filter] ? `?${filters[filter]}` : '';
      const json = subscribe(`${base}/fan/json${query}`);
      received.push({ format: 'json', filter, texts: () => messagesOf(jsonLines(json.chunks)), opened: () => jsonLines(json.chunks).length > 0 });
      const sse = subscribe(`${base}/fan/sse${query}`);
      const events = () =>
        complete(sse.chunks, '\n\n').map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 6)) as { event: string; message?: string });
      received.push({ format: 'sse', filter, texts: () => messagesOf(events()), opened: () => events().length > 0 });
      // raw: the open event is an empty line, each message its text on a line of its own.
      const raw = subscribe(`${base}/fan/raw${query}`);
      received.push({ format: 'raw', filter, texts: () => complete(raw.chunks, '\n').filter(Boolean), opened: () => raw.chunks.length > 0 });
      const socket = new WebSocket(`${base.replace('http', 'ws')}/fan/ws${query}`);
      cleanups.push(() => socket.close());
      const frames: { event: string; message?: string }[] = [];
      socket.on('message', (data, isBinary) => {
        if (isBinary) binaryFrames++;
        frames.push(JSON.parse(data.toString()) as { event: string; message?: string });
      });
      received.push({ format: 'ws', filter, texts: () => messagesOf(frames), opened: () => frames.length > 0 });
    }
    // Another topic's subscriber, and one that follows both.
    const other = subscribe(`${base}/other/json`);
    const both = subscribe(`${base}/other,fan/json`);
    await waitFor(() => received.every((r) => r.opened()) && other.chunks.length > 0 && both.chunks.length > 0, 5000, 'every subscription open');

    const published: { body: string; headers: Record<string, string> }[] = [
      { body: 'one', headers: { Priority: 'high', Tags: 'deploy' } },
      { body: 'two', headers: { Priority: 'low' } },
      { body: 'three', headers: { Tags: 'deploy,prod' } },
      { body: 'four', headers: { Priority: 'urgent' } },
      { body: 'five', headers: { 'X-Priority': '4', 'X-Tags': 'prod', 'X-Cache': 'no' } },
    ];
    // Sent together, so that the relay handles several in one turn of its event loop.
    await Promise.all(published.map((p) => publish(base, '/fan', p.body, p.headers)));
    const wanted = { all: ['one', 'two', 'three', 'four', 'five'], high: ['one', 'five'], deploy: ['one', 'three'] };
    await waitFor(() => received.every((r) => r.texts().length >= wanted[r.filter].length), 5000, 'every subscriber has its messages');
    // Anything sent twice, or past a filter, would have arrived with the rest.
    await new Promise((r) => setTimeout(r, 200));
    // Concurrent publishes may be handled in any order, but every subscriber sees the same one.
    const order = received[0]!.texts();
    expect([...order].sort()).toEqual([...wanted.all].sort());
    for (const r of received) {
      expect({ format: r.format, filter: r.filter, texts: r.texts() }).toEqual({ format: r.format, filter: r.filter, texts: order.filter((t) => wanted[r.filter].includes(t)) });
    }
    expect(messagesOf(jsonLines(both.chunks))).toEqual(order);
    expect(other.chunks.join('')).not.toContain('"event":"message"');
    expect(binaryFrames).toBe(0);
  });
});

describe('access control', () => {
  it('users, tokens and per-topic rules decide who may publish and read; anything else is a 401 or 403 in JSON', async () => {
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'), 0, { config: { authDefaultAccess: 'deny-all' } });
    cleanups.push(() => relay.close());
    const base = httpUrl(relay);
    const admin = await relayStores(path.join(dir, 'relay'));
    cleanups.push(() => admin.close());
    const run = (command: RelayCommand, env: NodeJS.ProcessEnv = {}) => runCommand(command, admin, env);
    await run({ name: 'user-add', user: 'phil', role: 'user' }, { WARBLER_PASSWORD: 'correct horse' });
    await run({ name: 'user-add', user: 'root', role: 'admin' }, { WARBLER_PASSWORD: 'battery staple' });
    await expect(run({ name: 'user-add', user: 'weak', role: 'user' }, { WARBLER_PASSWORD: 'short' })).rejects.toThrow(/at least 8/);
    await run({ name: 'access', user: 'phil', topic: 'alerts*', permission: 'read-write' });
    await run({ name: 'access', user: '*', topic: 'public', permission: 'read-only' });
    const token = await run({ name: 'token-add', user: 'phil' });
    expect(token).toMatch(/^tk_[a-z0-9]{29}$/);

    const basic = (user: string, password: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });
    expect((await publish(base, '/alerts-db', 'anonymous')).json).toMatchObject({ code: 40301, http: 403 });
    expect((await publish(base, '/alerts-db', 'wrong', basic('phil', 'wrong password'))).json).toMatchObject({ code: 40101, http: 401 });
    expect((await publish(base, '/alerts-db', 'nobody', basic('nobody', 'whatever1'))).json).toMatchObject({ http: 401 });
    expect((await publish(base, '/alerts-db', 'bad token', { Authorization: 'Bearer tk_nope' })).json).toMatchObject({ http: 401 });
    expect((await publish(base, '/alerts-db', 'with a password', basic('phil', 'correct horse'))).status).toBe(200);
    expect((await publish(base, '/alerts-db', 'with a token', { Authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await publish(base, '/alerts-db', 'token as password', basic('', token))).status).toBe(200);
    expect((await publish(base, '/other', 'not his', { Authorization: `Bearer ${token}` })).json).toMatchObject({ http: 403 });
    expect((await publish(base, '/other', 'admin may', basic('root', 'battery staple'))).status).toBe(200);

    // Reading: phil reads his topics; everyone reads public but may not write it.
    const read = await fetch(`${base}/alerts-db/json?poll=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await read.text()).split('\n').filter(Boolean)).toHaveLength(3);
    const denied = await fetch(`${base}/alerts-db,public/json?poll=1`);
    expect(denied.status).toBe(403);
    expect(await denied.json()).toMatchObject({ http: 403 });
    expect((await fetch(`${base}/public/json?poll=1`)).status).toBe(200);
    expect((await publish(base, '/public', 'anonymous write')).json).toMatchObject({ http: 403 });
    const socketRefused = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${base.replace('http', 'ws')}/alerts-db/ws`);
      socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      socket.on('open', () => resolve(101));
    });
    expect(socketRefused).toBe(403);

    // At rest: passwords as Argon2id, tokens as hashes.
    const stored = JSON.stringify([await relayRows(path.join(dir, 'relay'), 'SELECT * FROM push_users'), await relayRows(path.join(dir, 'relay'), 'SELECT * FROM push_tokens')]);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('correct horse');
    expect(stored).toContain('$argon2id$');
  });
});

describe('ingress from MQTT', () => {
  it('a relay started with --mqtt-url and --mqtt-topics turns broker messages into pushes', async () => {
    const prefix = `warbler-relay-test/${Math.random().toString(16).slice(2)}`;
    const dir = tempDir();
    const relay = await testRelay(path.join(dir, 'relay'), 0, {
      config: { mqttUrl: 'mqtt://127.0.0.1:1883', mqttTopics: `${prefix}/+/alarm=alarms` },
    });
    cleanups.push(() => relay.close());
    const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
    cleanups.push(() => client.endAsync());
    await client.publishAsync(`${prefix}/boiler/alarm`, 'pressure low');
    await client.publishAsync(`${prefix}/boiler/status`, 'not mapped');
    await client.publishAsync(`${prefix}/door/alarm`, JSON.stringify({ message: 'front door open', title: 'Door', priority: 5 }));
    const base = httpUrl(relay);
    let received: Record<string, unknown>[] = [];
    const deadline = Date.now() + 5000;
    while (received.length < 2 && Date.now() < deadline) {
      received = await poll(base, '/alarms/json?poll=1');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(received).toMatchObject([
      { topic: 'alarms', message: 'pressure low', title: `${prefix}/boiler/alarm` },
      { topic: 'alarms', message: 'front door open', title: 'Door', priority: 5 },
    ]);
  });
});
