// Optional ingress from an MQTT broker: messages on mapped topic filters become pushes, so devices
// and home automation that already speak MQTT reach Warbler without an HTTP bridge.
import { randomBytes } from 'node:crypto';
import { connect, type MqttClient, type OnConnectCallback } from 'mqtt';
import type { Logger } from 'pino';
import { z } from 'zod';
import { describeZodError } from '../../shared/protocol.js';
import type { PushHub } from './hub.js';
import { Topic } from './message.js';
import { PublishError, parseJsonPublish, type PushInput } from './publish.js';

/** ntfy's JSON fields a payload may set; the topic comes from the mapping, never the payload. */
const NTFY_FIELDS = ['message', 'title', 'tags', 'priority', 'click'] as const;
/**
 * Read at all only up to this: room for a full-size message (MAX_MESSAGE_BYTES, checked on the
 * message itself) with a title, tags and a click URL around it in JSON.
 */
export const MAX_MQTT_PAYLOAD_BYTES = 16 * 1024;
/** Announced to the broker, which then never sends us more than this (MQTT 5 Maximum Packet Size). */
const MAX_PACKET_BYTES = 64 * 1024;
const RECONNECT_MS = 2000;
const CONNECT_TIMEOUT_MS = 10_000;

const MQTT_PROTOCOLS = ['mqtt:', 'mqtts:', 'tcp:', 'tls:', 'ssl:', 'ws:', 'wss:'];

/** A broker URL as mqtt.js takes it; user and password may be in it (mqtt://user:pass@host:1883). */
export const MqttUrl = z
  .string()
  .refine((url) => URL.canParse(url) && MQTT_PROTOCOLS.includes(new URL(url).protocol), 'an MQTT broker URL: mqtt://, mqtts://, ws:// or wss://');

/** MQTT's rules for a topic filter: "+" is a whole level, "#" the whole last level. */
export const MqttTopicFilter = z
  .string()
  .min(1)
  .refine((filter) => new TextEncoder().encode(filter).length <= 65_535 && !filter.includes('\u0000'), 'an MQTT topic filter is at most 65535 bytes, without NUL')
  .refine(
    (filter) =>
      filter.split('/').every((level, i, levels) => (!level.includes('+') || level === '+') && (!level.includes('#') || (level === '#' && i === levels.length - 1))),
    'in an MQTT topic filter "+" must be a whole level and "#" the whole last level',
  );

export interface MqttMapping {
  filter: string;
  topic: string;
}

/** "FILTER=TOPIC": MQTT messages matching FILTER become pushes on the Warbler topic TOPIC. */
export const MqttMapping: z.ZodType<MqttMapping, string> = z
  .string()
  .transform((value, ctx) => {
    // A Warbler topic never holds "=", an MQTT topic may: the last one separates them.
    const at = value.lastIndexOf('=');
    if (at < 0) {
      ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 80)}" is not FILTER=TOPIC, e.g. sensors/+/alarm=alarms` });
      return z.NEVER;
    }
    return { filter: value.slice(0, at), topic: value.slice(at + 1) };
  })
  .pipe(z.object({ filter: MqttTopicFilter, topic: Topic }));

/**
 * Several mappings: a list, or one string (a flag or environment variable) with the mappings
 * separated by commas or whitespace.
 */
export const MqttMappings = z
  .union([z.array(z.string()), z.string().transform((value) => value.split(/[\s,]+/).filter(Boolean))])
  .pipe(z.array(MqttMapping).min(1, 'at least one FILTER=TOPIC mapping'));

/** Whether an MQTT topic matches a filter, as a broker decides it. */
export function mqttTopicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // Wildcards at the first level leave out $SYS and other broker-internal topics.
  if (topic.startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    // "a/#" matches "a" too.
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/** The ntfy fields of a JSON object payload; undefined when it is anything else (then it is text). */
function ntfyFields(text: string): Record<string, unknown> | undefined {
  if (!text.trimStart().startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const object = z.record(z.string(), z.unknown()).safeParse(value);
  if (!object.success) return undefined;
  const fields = Object.fromEntries(NTFY_FIELDS.filter((key) => Object.hasOwn(object.data, key)).map((key) => [key, object.data[key]]));
  // A sensor's own JSON ({"temp": 21.5}) is a reading to show, not a malformed ntfy message.
  return Object.keys(fields).length > 0 ? fields : undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One MQTT message → the push for the Warbler topic it is mapped to. A JSON object with ntfy's
 * fields (message, title, tags, priority, click) sets them; any other payload is the message as
 * UTF-8 text, titled with the MQTT topic. Throws PublishError naming what is wrong.
 */
export function mqttPayloadToPush(mqttTopic: string, payload: Uint8Array, topic: string): PushInput {
  if (payload.byteLength > MAX_MQTT_PAYLOAD_BYTES) {
    throw new PublishError('push_too_large', 'message', `the payload is ${payload.byteLength} bytes, more than the ${MAX_MQTT_PAYLOAD_BYTES} read`);
  }
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    throw new PublishError('not_utf8', 'message', 'the payload is not UTF-8 text');
  }
  const fields = ntfyFields(text) ?? { message: text, title: mqttTopic };
  // The same validation as the HTTP JSON API; 0 as "now" is never read, since there is no delay.
  return parseJsonPublish({ ...fields, topic }, 0);
}

export interface MqttIngressOptions {
  /** mqtt://, mqtts://, ws:// or wss://, with user:password@ if the broker wants them. */
  url: string;
  mappings: MqttMapping[];
  hub: PushHub;
  log: Logger;
  /** Defaults to warbler- and 12 random hex digits (20 characters: every broker takes up to 23). */
  clientId?: string;
}

export interface MqttIngress {
  /** Disconnects, and waits for the message being published, so the storage can close after. */
  close(): Promise<void>;
}

/** What the broker sends: nothing from it is trusted until it passed this. */
const IncomingPublish = z.object({
  topic: z.string(),
  payload: z.union([z.instanceof(Uint8Array), z.string()]),
  retain: z.boolean(),
  properties: z.object({ subscriptionIdentifier: z.union([z.number().int(), z.array(z.number().int())]).optional() }).optional(),
});

type Connack = Parameters<OnConnectCallback>[0];

/** Logged instead of the URL: a password may be in it. */
function brokerName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

/**
 * Connects, subscribes to every filter (QoS 1), and publishes a push for each message. Resolves
 * once the first subscriptions are in place; rejects if the broker cannot be reached or refuses a
 * subscription then, so a wrong URL, password or ACL shows at startup. After that, a lost
 * connection is retried and the subscriptions renewed by themselves.
 *
 * MQTT 5: each filter is subscribed with its own subscription identifier, so a message matching
 * overlapping filters ("home/#" and "home/+/alarm") is pushed once to each mapped topic, never
 * twice to one.
 */
export async function startMqttIngress(options: MqttIngressOptions): Promise<MqttIngress> {
  const url = MqttUrl.safeParse(options.url);
  if (!url.success) throw new Error(`invalid MQTT broker URL: ${describeZodError(url.error)}`);
  if (options.mappings.length === 0) throw new Error('MQTT ingress needs at least one FILTER=TOPIC mapping');
  const broker = brokerName(url.data);
  const log = options.log.child({ mqtt: broker });

  const topicsOf = new Map<string, Set<string>>();
  for (const { filter, topic } of options.mappings) topicsOf.set(filter, (topicsOf.get(filter) ?? new Set()).add(topic));
  const filters = [...topicsOf.keys()];
  /** Subscription identifier i + 1 is filters[i] (0 is not a valid identifier). */
  const filterOf = (id: number): string | undefined => filters[id - 1];

  const client: MqttClient = connect(url.data, {
    clientId: options.clientId ?? `warbler-${randomBytes(6).toString('hex')}`,
    protocolVersion: 5,
    // Subscriptions are renewed on every connect below; a persistent session would keep filters a
    // changed configuration no longer maps.
    clean: true,
    resubscribe: false,
    reconnectPeriod: RECONNECT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    properties: { maximumPacketSize: MAX_PACKET_BYTES },
  });

  let useIds = true;
  const subscribeAll = async (connack: Connack): Promise<void> => {
    useIds = connack.properties?.subscriptionIdentifiersAvailable !== false;
    const results = await Promise.allSettled(
      filters.map((filter, i) =>
        client.subscribeAsync(filter, {
          qos: 1,
          // Retained messages are old news: the broker need not send them when we subscribe.
          rh: 2,
          ...(useIds ? { properties: { subscriptionIdentifier: i + 1 } } : {}),
        }),
      ),
    );
    const refused = results.flatMap((result, i) =>
      result.status === 'rejected' ? [`${filters[i]} (${result.reason instanceof Error ? result.reason.message : String(result.reason)})`] : [],
    );
    if (refused.length > 0) throw new Error(`the MQTT broker refused the subscription to ${refused.join(', ')}`);
  };

  const topicsFor = (mqttTopic: string, ids: number | number[] | undefined): Set<string> => {
    const matched =
      useIds && ids !== undefined
        ? (Array.isArray(ids) ? ids : [ids]).map(filterOf).filter((f): f is string => f !== undefined)
        : filters.filter((filter) => mqttTopicMatches(filter, mqttTopic));
    return new Set(matched.flatMap((filter) => [...(topicsOf.get(filter) ?? [])]));
  };

  const deliver = async (packet: unknown): Promise<void> => {
    const parsed = IncomingPublish.safeParse(packet);
    if (!parsed.success) {
      log.warn({ reason: describeZodError(parsed.error) }, 'dropped a malformed MQTT message');
      return;
    }
    const { topic: mqttTopic, retain, properties } = parsed.data;
    // Sent because we subscribed, not because it just happened: pushing it would repeat old news
    // on every restart and reconnect.
    if (retain) return;
    const payload = typeof parsed.data.payload === 'string' ? new TextEncoder().encode(parsed.data.payload) : parsed.data.payload;
    const where = { mqttTopic: mqttTopic.slice(0, 200) };
    const topics = topicsFor(mqttTopic, properties?.subscriptionIdentifier);
    if (topics.size === 0) {
      log.debug(where, 'an MQTT message matched no mapping');
      return;
    }
    for (const topic of topics) {
      let input: PushInput;
      try {
        input = mqttPayloadToPush(mqttTopic, payload, topic);
      } catch (err) {
        if (!(err instanceof PublishError)) throw err;
        log.warn({ ...where, topic, field: err.field, reason: err.message }, 'dropped an MQTT message that is not a valid push');
        continue;
      }
      try {
        await options.hub.publish(input);
      } catch (err) {
        log.error({ ...where, topic, err }, 'could not publish an MQTT message as a push');
      }
    }
  };

  let inflight: Promise<void> = Promise.resolve();
  // Instead of the 'message' event: mqtt.js reads the next packet (and acknowledges this one) only
  // once the callback runs, so pushes are stored in the broker's order, a flood waits at the broker
  // rather than in our memory, and close() knows what is still being stored.
  client.handleMessage = (packet, callback) => {
    inflight = deliver(packet)
      .catch((err: unknown) => log.error({ err }, 'an MQTT message failed'))
      .finally(() => callback());
  };

  let ready = false;
  let started!: { resolve: () => void; reject: (err: unknown) => void };
  const starting = new Promise<void>((resolve, reject) => (started = { resolve, reject }));
  let lastError: string | undefined;
  client.on('connect', (connack) => {
    lastError = undefined;
    const subscribing = subscribeAll(connack);
    if (!ready) {
      subscribing.then(started.resolve, started.reject);
      return;
    }
    log.info('MQTT connection back');
    subscribing.catch((err: unknown) => log.error({ err }, 'could not renew the MQTT subscriptions'));
  });
  client.on('offline', () => {
    if (ready) log.warn('MQTT connection lost; reconnecting');
  });
  client.on('error', (err) => {
    if (!ready) return started.reject(err);
    // While the broker is away each retry fails the same way: once is enough to say so.
    if (err.message === lastError) return;
    lastError = err.message;
    log.warn({ err }, 'MQTT connection error');
  });

  try {
    await starting;
  } catch (err) {
    await client.endAsync(true);
    throw new Error(`MQTT ingress from ${broker}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  ready = true;
  log.info({ filters }, 'MQTT ingress subscribed');

  let closing: Promise<void> | undefined;
  return {
    close() {
      closing ??= (async () => {
        await client.endAsync();
        await inflight;
      })();
      return closing;
    },
  };
}
