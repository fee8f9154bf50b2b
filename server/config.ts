// Relay configuration from flags, then WARBLER_* environment variables, then defaults.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';
import { Username, describeZodError } from '../shared/protocol.js';
import { Port } from '../shared/urls.js';
import { Duration } from '../shared/duration.js';
import { ByteSize } from '../shared/size.js';
import { LogLevel } from '../shared/log-level.js';
import { DefaultAccess, EVERYONE, Permission, PushUsername, TopicPattern } from './push/access.js';
import { MqttMappings, MqttUrl } from './push/mqtt.js';
import type { PushPermission, PushRole } from './storage/push-user-store.js';

export const DEFAULT_PORT = 7878;

const options = {
  port: { type: 'string', env: 'WARBLER_PORT', help: `TCP port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)` },
  host: { type: 'string', env: 'WARBLER_HOST', help: 'address to bind (default 127.0.0.1; 0.0.0.0 for all interfaces)' },
  data: { type: 'string', env: 'WARBLER_DATA', help: 'folder for the relay database (default ./warbler-data)' },
  database: {
    type: 'string',
    env: 'WARBLER_DATABASE',
    help: 'postgres://user@host/db: keep everything in PostgreSQL, for several relay nodes (needs --redis; default: SQLite under --data)',
  },
  redis: {
    type: 'string',
    env: 'WARBLER_REDIS',
    help: 'redis://host:6379, or any node of a Redis Cluster: what crosses relay nodes, and the budgets they share (needed with --database)',
  },
  'queue-journal': {
    type: 'boolean',
    env: 'WARBLER_QUEUE_JOURNAL',
    help: 'one node alone on --data: keep new messages in a journal beside relay.sqlite first (more messages per core; default off)',
  },
  'queue-ttl': {
    type: 'string',
    env: 'WARBLER_QUEUE_TTL',
    help: 'how long a message waits for an offline device before it expires, e.g. 30d, 12h (default 30d)',
  },
  'cache-duration': {
    type: 'string',
    env: 'WARBLER_CACHE_DURATION',
    help: 'how long push messages stay cached for subscribers that catch up, e.g. 12h, 1d (default 12h)',
  },
  'visitor-burst': { type: 'string', env: 'WARBLER_VISITOR_BURST', help: 'push API requests a client may make at once (default 60)' },
  'visitor-refill': {
    type: 'string',
    env: 'WARBLER_VISITOR_REFILL',
    help: 'one more push API request becomes available this often, e.g. 5s (default 5s)',
  },
  'visitor-subscriptions': {
    type: 'string',
    env: 'WARBLER_VISITOR_SUBSCRIPTIONS',
    help: 'push subscriptions a client may hold open (default 30)',
  },
  'registrations-per-hour': {
    type: 'string',
    env: 'WARBLER_REGISTRATIONS_PER_HOUR',
    help: 'accounts one network address may register per hour (default 30)',
  },
  'sends-per-second': {
    type: 'string',
    env: 'WARBLER_SENDS_PER_SECOND',
    help: 'messages one device may send per second (default 20)',
  },
  'sends-per-day': { type: 'string', env: 'WARBLER_SENDS_PER_DAY', help: 'messages one device may send per day (default 10000)' },
  'queue-messages': {
    type: 'string',
    env: 'WARBLER_QUEUE_MESSAGES',
    help: 'messages the relay keeps waiting for one device; past it, senders are told its queue is full (default 10000)',
  },
  'queue-bytes': {
    type: 'string',
    env: 'WARBLER_QUEUE_BYTES',
    help: 'bytes of messages the relay keeps waiting for one device, e.g. 100M (default 100M)',
  },
  'ephemeral-per-second': {
    type: 'string',
    env: 'WARBLER_EPHEMERAL_PER_SECOND',
    help: 'typing and presence frames one device may send per second; more are refused (default 10)',
  },
  'auth-default-access': {
    type: 'string',
    env: 'WARBLER_AUTH_DEFAULT_ACCESS',
    help: 'push topics without a rule: read-write, read-only, write-only or deny-all (default read-write)',
  },
  'base-url': {
    type: 'string',
    env: 'WARBLER_BASE_URL',
    help: 'the relay\'s public URL, e.g. https://relay.example.org, for the links of push attachments and the host device logins are signed for (default: from each request\'s Host)',
  },
  'attachment-max-size': {
    type: 'string',
    env: 'WARBLER_ATTACHMENT_MAX_SIZE',
    help: 'largest end-to-end encrypted attachment a device may upload, e.g. 100M (default 100M)',
  },
  'attachment-quota': {
    type: 'string',
    env: 'WARBLER_ATTACHMENT_QUOTA',
    help: 'attachment bytes one account may keep on the relay at once, e.g. 1G (default 1G)',
  },
  'attachment-file-size-limit': {
    type: 'string',
    env: 'WARBLER_ATTACHMENT_FILE_SIZE_LIMIT',
    help: 'largest file attached to a push, e.g. 15M (default 15M)',
  },
  'attachment-total-size-limit': {
    type: 'string',
    env: 'WARBLER_ATTACHMENT_TOTAL_SIZE_LIMIT',
    help: 'all files attached to pushes together, e.g. 5G (default 5G)',
  },
  'attachment-expiry-duration': {
    type: 'string',
    env: 'WARBLER_ATTACHMENT_EXPIRY_DURATION',
    help: 'how long a file attached to a push is kept, e.g. 3h (default 3h)',
  },
  'mqtt-url': { type: 'string', env: 'WARBLER_MQTT_URL', help: 'an MQTT broker to take pushes from, e.g. mqtt://127.0.0.1:1883 (off by default)' },
  'mqtt-topics': {
    type: 'string',
    env: 'WARBLER_MQTT_TOPICS',
    help: 'with --mqtt-url: MQTT topic filters and the push topics they feed, e.g. "sensors/+/alarm=alarms home/#=home"',
  },
  'log-level': { type: 'string', env: 'WARBLER_LOG_LEVEL', help: 'fatal, error, warn, info, debug, trace or silent (default info)' },
  'behind-proxy': {
    type: 'boolean',
    env: 'WARBLER_BEHIND_PROXY',
    help: 'the relay is behind a reverse proxy: take each client\'s address from X-Forwarded-For, set by the proxy (default off)',
  },
  'trusted-proxies': {
    type: 'string',
    env: 'WARBLER_TRUSTED_PROXIES',
    help: 'with --behind-proxy: the proxies\' addresses or CIDR ranges, e.g. "10.0.0.0/8 ::1" (default 127.0.0.1 ::1)',
  },
  help: { type: 'boolean', env: null, help: 'show this help and exit' },
} as const;

/** Proxies' addresses or CIDR ranges, separated by commas or spaces. */
const ProxyList = z
  .string()
  .transform((list) => list.split(/[\s,]+/).filter(Boolean))
  .pipe(
    z
      .array(
        z.string().refine((entry) => {
          const [address = '', bits, ...rest] = entry.split('/');
          const family = isIP(address);
          const max = family === 4 ? 32 : 128;
          return family !== 0 && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= max));
        }, 'each trusted proxy is an IP address or a CIDR range such as 10.0.0.0/8'),
      )
      .min(1),
  );

const PostgresUrl = z
  .string()
  .refine((u) => /^postgres(ql)?:\/\/[^\s]+$/i.test(u) && URL.canParse(u), 'the database is a URL such as postgres://warbler@127.0.0.1/warbler');
const RedisUrl = z
  .string()
  .refine((u) => /^rediss?:\/\/[^\s]+$/i.test(u) && URL.canParse(u), 'Redis is a URL such as redis://127.0.0.1:6379');

export const RelayConfig = z
  .object({
  port: Port.default(DEFAULT_PORT),
  host: z.string().min(1).default('127.0.0.1'),
  data: z.string().min(1).default('warbler-data'),
  database: PostgresUrl.optional(),
  redis: RedisUrl.optional(),
  queueTtlMs: Duration.default(30 * 86_400_000),
  cacheMs: Duration.default(12 * 3600_000),
  visitorBurst: z.coerce.number().int().min(1).max(1_000_000).default(60),
  visitorRefillMs: Duration.default(5000),
  visitorSubscriptions: z.coerce.number().int().min(1).max(1_000_000).default(30),
  registrationsPerHour: z.coerce.number().int().min(1).max(1_000_000).default(30),
  sendsPerSecond: z.coerce.number().int().min(1).max(1_000_000).default(20),
  sendsPerDay: z.coerce.number().int().min(1).max(1_000_000_000).default(10_000),
  queueMessages: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
  queueBytes: ByteSize.default(100 * 1024 * 1024),
  ephemeralPerSecond: z.coerce.number().int().min(1).max(1_000_000).default(10),
  authDefaultAccess: DefaultAccess.default('read-write'),
  baseUrl: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//i.test(u), 'the base URL starts with http:// or https://')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  attachmentMaxBytes: ByteSize.default(100 * 1024 * 1024),
  attachmentQuotaBytes: ByteSize.default(1024 ** 3),
  pushAttachmentMaxBytes: ByteSize.default(15 * 1024 * 1024),
  pushAttachmentTotalBytes: ByteSize.default(5 * 1024 ** 3),
  pushAttachmentExpiryMs: Duration.default(3 * 3600_000),
  behindProxy: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .default(false),
  queueJournal: z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .default(false),
  trustedProxies: ProxyList.default(['127.0.0.1', '::1']),
  mqttUrl: MqttUrl.optional(),
  mqttTopics: MqttMappings.optional(),
  logLevel: LogLevel.default('info'),
})
  .refine((c) => (c.mqttUrl === undefined) === (c.mqttTopics === undefined), {
    message: '--mqtt-url and --mqtt-topics go together',
    path: ['mqttTopics'],
  });
export type RelayConfig = z.infer<typeof RelayConfig>;

export function helpText(): string {
  const lines = Object.entries(options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ' VALUE' : ''}`;
    return `  ${flag.padEnd(22)} ${o.help}${o.env ? ` [env ${o.env}]` : ''}`;
  });
  return [
    'Usage: warbler-server [options]',
    '       warbler-server reset-account USERNAME [--data DIR]',
    '       warbler-server user add NAME [admin|user] | user del NAME   (password in WARBLER_PASSWORD)',
    '       warbler-server token add NAME',
    '       warbler-server access NAME|everyone TOPIC[*] read-write|read-only|write-only|deny',
    '',
    'The Warbler relay: WebSocket sessions and HTTP on one port.',
    'reset-account deletes an account whose owner lost every device (its devices, queues and prekeys),',
    'so the username can be registered again; the people it talked to are warned that its key changed.',
    'user, token and access manage who may publish to and read push topics (as ntfy\'s access control).',
    '',
    'Options:',
    ...lines,
  ].join('\n');
}

export type RelayCommand =
  | { name: 'reset-account'; username: string }
  | { name: 'user-add'; user: string; role: PushRole }
  | { name: 'user-del'; user: string }
  | { name: 'token-add'; user: string }
  | { name: 'access'; user: string; topic: string; permission: PushPermission };
export type ParsedArgs = { help: true } | { help: false; config: RelayConfig; command?: RelayCommand };

/** Throws an Error with a one-line reason on bad flags or values. */
export function parseRelayArgs(argv: string[], env: NodeJS.ProcessEnv): ParsedArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { type: o.type }])) as {
      [K in keyof typeof options]: { type: (typeof options)[K]['type'] };
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return { help: true };
  const command = parseCommand(positionals);
  const pick = (name: keyof typeof options): string | undefined => {
    const fromFlag = values[name];
    if (typeof fromFlag === 'string') return fromFlag;
    if (fromFlag === true) return 'true';
    const envName = options[name].env;
    return envName ? env[envName] || undefined : undefined;
  };
  const parsed = RelayConfig.safeParse({
    port: pick('port'),
    host: pick('host'),
    data: pick('data'),
    database: pick('database'),
    redis: pick('redis'),
    queueTtlMs: pick('queue-ttl'),
    cacheMs: pick('cache-duration'),
    visitorBurst: pick('visitor-burst'),
    visitorRefillMs: pick('visitor-refill'),
    visitorSubscriptions: pick('visitor-subscriptions'),
    registrationsPerHour: pick('registrations-per-hour'),
    sendsPerSecond: pick('sends-per-second'),
    sendsPerDay: pick('sends-per-day'),
    queueMessages: pick('queue-messages'),
    queueBytes: pick('queue-bytes'),
    ephemeralPerSecond: pick('ephemeral-per-second'),
    authDefaultAccess: pick('auth-default-access'),
    baseUrl: pick('base-url'),
    attachmentMaxBytes: pick('attachment-max-size'),
    attachmentQuotaBytes: pick('attachment-quota'),
    pushAttachmentMaxBytes: pick('attachment-file-size-limit'),
    pushAttachmentTotalBytes: pick('attachment-total-size-limit'),
    pushAttachmentExpiryMs: pick('attachment-expiry-duration'),
    behindProxy: pick('behind-proxy'),
    queueJournal: pick('queue-journal'),
    trustedProxies: pick('trusted-proxies'),
    mqttUrl: pick('mqtt-url'),
    mqttTopics: pick('mqtt-topics'),
    logLevel: pick('log-level'),
  });
  if (!parsed.success) throw new Error(`invalid option: ${describeZodError(parsed.error)}`);
  // An administration command only writes to the database; a relay node must also hear the others.
  if (!command && parsed.data.database !== undefined && parsed.data.redis === undefined) {
    throw new Error('--database needs --redis: the nodes that share a database tell each other of new mail through Redis');
  }
  if (parsed.data.queueJournal && (parsed.data.database !== undefined || parsed.data.redis !== undefined)) {
    throw new Error('--queue-journal is for one node alone on its --data folder: it cannot go with --database or --redis');
  }
  return { help: false, config: { ...parsed.data, data: path.resolve(parsed.data.data) }, ...(command ? { command } : {}) };
}

function valid<T>(schema: z.ZodType<T>, value: string | undefined, what: string): T {
  const parsed = schema.safeParse(value ?? '');
  if (!parsed.success) throw new Error(`invalid ${what}: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

function parseCommand(positionals: string[]): RelayCommand | undefined {
  if (positionals.length === 0) return undefined;
  const [name, username, ...rest] = positionals;
  if (name === 'user') {
    const [action, user, role, ...extra] = positionals.slice(1);
    if (action === 'add' && extra.length === 0 && (role === undefined || role === 'admin' || role === 'user')) {
      return { name: 'user-add', user: valid(PushUsername, user, 'user name'), role: role ?? 'user' };
    }
    if (action === 'del' && role === undefined) return { name: 'user-del', user: valid(PushUsername, user, 'user name') };
    throw new Error('usage: user add NAME [admin|user] (password in WARBLER_PASSWORD), or user del NAME');
  }
  if (name === 'token') {
    const [action, user, ...extra] = positionals.slice(1);
    if (action !== 'add' || extra.length > 0) throw new Error('usage: token add NAME');
    return { name: 'token-add', user: valid(PushUsername, user, 'user name') };
  }
  if (name === 'access') {
    const [user, topic, permission, ...extra] = positionals.slice(1);
    if (extra.length > 0 || permission === undefined) throw new Error('usage: access NAME|everyone TOPIC PERMISSION');
    return {
      name: 'access',
      user: user === 'everyone' ? EVERYONE : valid(PushUsername, user, 'user name'),
      topic: valid(TopicPattern, topic, 'topic'),
      permission: valid(Permission, permission, 'permission (read-write, read-only, write-only or deny)'),
    };
  }
  if (name !== 'reset-account') throw new Error(`unknown command "${name}"`);
  if (username === undefined || rest.length > 0) throw new Error('usage: reset-account USERNAME');
  const parsed = Username.safeParse(username);
  if (!parsed.success) throw new Error(`invalid username: ${describeZodError(parsed.error)}`);
  return { name, username: parsed.data };
}
