// MQTT ingress against the Mosquitto broker on this machine (127.0.0.1:1883): messages on mapped
// filters become pushes in the relay's storage, bad ones are dropped without stopping the rest.
// Every test uses its own random MQTT topic prefix, so parallel runs on one broker do not meet.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { PushHub } from '../../server/push/hub.js';
import { MAX_MESSAGE_BYTES, type PushMessage } from '../../server/push/message.js';
import { MqttMapping, MqttMappings, mqttPayloadToPush, mqttTopicMatches, startMqttIngress } from '../../server/push/mqtt.js';
import { PublishError } from '../../server/push/publish.js';
import { openSqliteRelayStores } from '../../server/storage/sqlite/relay-stores.js';
import type { PushCache } from '../../server/storage/push-cache.js';
import { tempDir, useCleanups } from '../helpers.js';

const BROKER = 'mqtt://127.0.0.1:1883';
const cleanups = useCleanups();
const text = (s: string) => new TextEncoder().encode(s);
const uniquePrefix = () => `warbler-test/${randomBytes(6).toString('hex')}`;

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** An ingress on a fresh storage; its log is kept, not printed, so tests can read the warnings. */
async function ingressFor(mappings: string[], url = BROKER) {
  const stores = openSqliteRelayStores(tempDir());
  cleanups.push(() => stores.close());
  const lines: LogLine[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  const hub = new PushHub({ cache: stores.pushCache, log, now: () => Date.now(), cacheMs: 3600_000 });
  const ingress = await startMqttIngress({ url, mappings: mappings.map((m) => MqttMapping.parse(m)), hub, log });
  cleanups.push(() => ingress.close());
  return { storage: stores.pushCache, lines, ingress };
}

async function publisher(): Promise<MqttClient> {
  const client = await connectAsync(BROKER, { reconnectPeriod: 0 });
  cleanups.push(() => client.endAsync());
  return client;
}

const stored = (storage: PushCache, topic: string) => storage.pushes([topic], { fromTime: 0 }, Math.floor(Date.now() / 1000) + 1, 100);

/** The topic's pushes once one of them has this message (later ones are not there yet). */
async function pushesUntil(storage: PushCache, topic: string, message: string, timeoutMs = 10_000): Promise<PushMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pushes = await stored(storage, topic);
    if (pushes.some((p) => p.message === message)) return pushes;
    if (Date.now() > deadline) throw new Error(`timed out waiting for "${message}" on ${topic}; have ${JSON.stringify(pushes.map((p) => p.message))}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A TCP proxy in front of the broker whose connections can be cut, as a network failure would. */
async function cuttableProxy(): Promise<{ url: string; cut: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(1883, '127.0.0.1');
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as net.AddressInfo;
  return { url: `mqtt://127.0.0.1:${port}`, cut: () => sockets.forEach((s) => s.destroy()) };
}

describe('MQTT mappings', () => {
  it('parses FILTER=TOPIC, splitting at the last "=" since a Warbler topic has none', () => {
    expect(MqttMapping.parse('sensors/+/alarm=alarms')).toEqual({ filter: 'sensors/+/alarm', topic: 'alarms' });
    expect(MqttMapping.parse('home/#=home')).toEqual({ filter: 'home/#', topic: 'home' });
    expect(MqttMapping.parse('#=all')).toEqual({ filter: '#', topic: 'all' });
    expect(MqttMapping.parse('a=b/c=d')).toEqual({ filter: 'a=b/c', topic: 'd' });
  });

  it('refuses what is not a topic filter or not a Warbler topic', () => {
    for (const bad of ['sensors', '=alarms', 'home/#/x=home', 'home/a#=home', 'home/a+/b=home', 'home/#=', 'home/#=bad topic', 'home/#=a.b']) {
      expect(MqttMapping.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('takes several as a list or as one string, and at least one', () => {
    expect(MqttMappings.parse(['a/#=a', 'b/+=b'])).toEqual([
      { filter: 'a/#', topic: 'a' },
      { filter: 'b/+', topic: 'b' },
    ]);
    expect(MqttMappings.parse(' a/#=a, b/+=b\nc=c ')).toHaveLength(3);
    expect(MqttMappings.safeParse('').success).toBe(false);
    expect(MqttMappings.safeParse(['a/#=a', 'nope']).success).toBe(false);
  });

  it('matches topics as a broker does', () => {
    expect(mqttTopicMatches('home/#', 'home')).toBe(true);
    expect(mqttTopicMatches('home/#', 'home/kitchen/smoke')).toBe(true);
    expect(mqttTopicMatches('home/+/smoke', 'home/kitchen/smoke')).toBe(true);
    expect(mqttTopicMatches('home/+/smoke', 'home/kitchen/heat')).toBe(false);
    expect(mqttTopicMatches('home/+', 'home/kitchen/smoke')).toBe(false);
    expect(mqttTopicMatches('home/+', 'home')).toBe(false);
    expect(mqttTopicMatches('#', '$SYS/broker/uptime')).toBe(false);
    expect(mqttTopicMatches('$SYS/#', '$SYS/broker/uptime')).toBe(true);
  });
});

describe('MQTT payload → push', () => {
  it('takes a text payload as the message, titled with the MQTT topic', () => {
    expect(mqttPayloadToPush('home/kitchen/smoke', text('Smoke in the kitchen\n'), 'alarms')).toEqual({
      topic: 'alarms',
      message: 'Smoke in the kitchen',
      title: 'home/kitchen/smoke',
      cache: true,
    });
    expect(mqttPayloadToPush('door/bell', new Uint8Array(), 'home').message).toBe('triggered');
    expect(mqttPayloadToPush(`a/${'b'.repeat(300)}`, text('x'), 'home').title).toHaveLength(256);
  });

  it('takes ntfy’s JSON fields from a JSON object, and only those', () => {
    const payload = { message: 'Water on the floor', title: 'Leak', tags: ['warning', 'droplet'], priority: 'high', click: 'https://example.com/leak' };
    expect(mqttPayloadToPush('home/basement/leak', text(JSON.stringify({ ...payload, topic: 'elsewhere', delay: '1h' })), 'alarms')).toEqual({
      topic: 'alarms',
      message: 'Water on the floor',
      title: 'Leak',
      tags: ['warning', 'droplet'],
      priority: 4,
      click: 'https://example.com/leak',
      cache: true,
    });
  });

  it('shows JSON without ntfy fields, and what only looks like JSON, as text', () => {
    expect(mqttPayloadToPush('home/temp', text('{"temp": 21.5}'), 'home')).toMatchObject({ message: '{"temp": 21.5}', title: 'home/temp' });
    expect(mqttPayloadToPush('home/temp', text('{oops'), 'home')).toMatchObject({ message: '{oops' });
    expect(mqttPayloadToPush('home/temp', text('[1, 2]'), 'home')).toMatchObject({ message: '[1, 2]' });
  });

  it('refuses bad fields, over-long messages and binary payloads, naming the field', () => {
    const fails = (payload: Uint8Array) => {
      try {
        mqttPayloadToPush('t', payload, 'home');
      } catch (err) {
        expect(err).toBeInstanceOf(PublishError);
        return (err as PublishError).field;
      }
      throw new Error('accepted');
    };
    expect(fails(text('{"message": "x", "priority": 7}'))).toBe('priority');
    expect(fails(text('{"message": 5}'))).toBe('message');
    expect(fails(text('{"message": "x", "click": "javascript:alert(1)"}'))).toBe('click');
    expect(fails(text('{"message": "x", "tags": "a,b"}'))).toBe('tags');
    expect(fails(text('x'.repeat(MAX_MESSAGE_BYTES + 1)))).toBe('message');
    expect(fails(text(JSON.stringify({ message: 'x'.repeat(MAX_MESSAGE_BYTES + 1) })))).toBe('message');
    expect(fails(text('x'.repeat(1_000_000)))).toBe('message');
    expect(fails(new Uint8Array([0xff, 0xfe, 0x00, 0x80]))).toBe('message');
  });
});

describe('MQTT ingress', () => {
  it('turns text and JSON messages into pushes on the mapped topic, in order', async () => {
    const prefix = uniquePrefix();
    const { storage } = await ingressFor([`${prefix}/+/alarm=alarms`]);
    const client = await publisher();
    await client.publishAsync(`${prefix}/kitchen/alarm`, 'Smoke in the kitchen', { qos: 1 });
    await client.publishAsync(
      `${prefix}/basement/alarm`,
      JSON.stringify({ message: 'Water on the floor', title: 'Leak', priority: 5, tags: ['droplet'], click: 'https://example.com/leak' }),
      { qos: 0 },
    );
    await client.publishAsync(`${prefix}/hall/other`, 'not mapped', { qos: 1 });
    await client.publishAsync(`${prefix}/hall/alarm`, '{"temp": 35}', { qos: 1 });

    const pushes = await pushesUntil(storage, 'alarms', '{"temp": 35}');
    expect(pushes.map(({ message, title, priority, tags, click }) => ({ message, title, priority, tags, click }))).toEqual([
      { message: 'Smoke in the kitchen', title: `${prefix}/kitchen/alarm`, priority: undefined, tags: undefined, click: undefined },
      { message: 'Water on the floor', title: 'Leak', priority: 5, tags: ['droplet'], click: 'https://example.com/leak' },
      { message: '{"temp": 35}', title: `${prefix}/hall/alarm`, priority: undefined, tags: undefined, click: undefined },
    ]);
    expect(pushes.every((p) => p.topic === 'alarms' && p.event === 'message')).toBe(true);
  });

  it('drops an invalid or over-long message with a warning and keeps taking the next ones', async () => {
    const prefix = uniquePrefix();
    const { storage, lines } = await ingressFor([`${prefix}/#=alarms`]);
    const client = await publisher();
    await client.publishAsync(`${prefix}/a`, JSON.stringify({ message: 'bad priority', priority: 7 }), { qos: 1 });
    await client.publishAsync(`${prefix}/a`, JSON.stringify({ message: 'good', priority: 'high' }), { qos: 1 });
    await client.publishAsync(`${prefix}/a`, 'x'.repeat(MAX_MESSAGE_BYTES + 1), { qos: 1 });
    await client.publishAsync(`${prefix}/a`, Buffer.from([0xff, 0xfe, 0xfd]), { qos: 1 });
    // Past the maximum packet size the ingress announced: the broker drops it before it is sent.
    await client.publishAsync(`${prefix}/a`, 'y'.repeat(100_000), { qos: 1 });
    await client.publishAsync(`${prefix}/a`, 'still here', { qos: 1 });

    const pushes = await pushesUntil(storage, 'alarms', 'still here');
    expect(pushes.map((p) => [p.message, p.priority])).toEqual([
      ['good', 4],
      ['still here', undefined],
    ]);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings.map((w) => w.field)).toEqual(['priority', 'message', 'message']);
    expect(warnings[0]).toMatchObject({ mqttTopic: `${prefix}/a`, topic: 'alarms', msg: 'dropped an MQTT message that is not a valid push' });
  });

  it('does not push retained messages from before it subscribed, but does push new ones', async () => {
    const prefix = uniquePrefix();
    const client = await publisher();
    await client.publishAsync(`${prefix}/door`, 'opened yesterday', { qos: 1, retain: true });
    // Retained messages outlive the test on the broker unless cleared (an empty retained message).
    cleanups.push(() => client.publishAsync(`${prefix}/door`, '', { qos: 1, retain: true }));
    const { storage } = await ingressFor([`${prefix}/#=doors`]);

    await client.publishAsync(`${prefix}/door`, 'opened now', { qos: 1, retain: true });
    await client.publishAsync(`${prefix}/window`, 'done', { qos: 1 });
    expect((await pushesUntil(storage, 'doors', 'done')).map((p) => p.message)).toEqual(['opened now', 'done']);
  });

  it('pushes a message matching overlapping filters once to each mapped topic', async () => {
    const prefix = uniquePrefix();
    const { storage } = await ingressFor([`${prefix}/#=home`, `${prefix}/+/alarm=alarms`, `${prefix}/+/alarm=pager`]);
    const client = await publisher();
    await client.publishAsync(`${prefix}/kitchen/alarm`, 'smoke', { qos: 1 });
    await client.publishAsync(`${prefix}/kitchen/temp`, '21', { qos: 1 });
    await client.publishAsync(`${prefix}/end`, 'end', { qos: 1 });

    expect((await pushesUntil(storage, 'home', 'end')).map((p) => p.message)).toEqual(['smoke', '21', 'end']);
    expect((await stored(storage, 'alarms')).map((p) => p.message)).toEqual(['smoke']);
    expect((await stored(storage, 'pager')).map((p) => p.message)).toEqual(['smoke']);
  });

  it('reconnects and subscribes again after the connection is cut', async () => {
    const prefix = uniquePrefix();
    const proxy = await cuttableProxy();
    const { storage, lines } = await ingressFor([`${prefix}/#=alarms`], proxy.url);
    const client = await publisher();
    await client.publishAsync(`${prefix}/a`, 'before', { qos: 1 });
    await pushesUntil(storage, 'alarms', 'before');

    proxy.cut();
    // The session is clean: what is published before it has subscribed again is not for it.
    const deadline = Date.now() + 15_000;
    let arrived = false;
    for (let i = 0; !arrived; i++) {
      if (Date.now() > deadline) throw new Error('no push after the connection was cut');
      await client.publishAsync(`${prefix}/a`, `after ${i}`, { qos: 1 });
      await new Promise((r) => setTimeout(r, 200));
      arrived = (await stored(storage, 'alarms')).some((p) => p.message.startsWith('after'));
    }
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['MQTT connection lost; reconnecting', 'MQTT connection back']));
  });

  it('fails to start, saying why, when the broker cannot be reached or the URL is wrong', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    await expect(ingressFor(['a/#=a'], `mqtt://127.0.0.1:${port}`)).rejects.toThrow(
      new RegExp(`^MQTT ingress from mqtt://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    await expect(ingressFor(['a/#=a'], 'http://127.0.0.1:1883')).rejects.toThrow(/invalid MQTT broker URL/);
    await expect(ingressFor([], BROKER)).rejects.toThrow(/at least one/);
  });

  it('keeps a password in the URL out of its log', async () => {
    const { lines } = await ingressFor([`${uniquePrefix()}/#=a`], 'mqtt://warbler:s3cret-pw@127.0.0.1:1883');
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain('s3cret-pw');
  });
});
