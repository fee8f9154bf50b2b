// Relay configuration from flags, then WARBLER_* environment variables, then defaults.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { z } from 'zod';
import { Username, describeZodError } from '../shared/protocol.js';
import { Port } from '../shared/urls.js';
import { Duration } from '../shared/duration.js';

export const DEFAULT_PORT = 7878;

const options = {
  port: { type: 'string', env: 'WARBLER_PORT', help: `TCP port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)` },
  host: { type: 'string', env: 'WARBLER_HOST', help: 'address to bind (default 127.0.0.1; 0.0.0.0 for all interfaces)' },
  data: { type: 'string', env: 'WARBLER_DATA', help: 'folder for the relay database (default ./warbler-data)' },
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
  'log-level': { type: 'string', env: 'WARBLER_LOG_LEVEL', help: 'fatal, error, warn, info, debug, trace or silent (default info)' },
  help: { type: 'boolean', env: null, help: 'show this help and exit' },
} as const;

export const RelayConfig = z.object({
  port: Port.default(DEFAULT_PORT),
  host: z.string().min(1).default('127.0.0.1'),
  data: z.string().min(1).default('warbler-data'),
  queueTtlMs: Duration.default(30 * 86_400_000),
  cacheMs: Duration.default(12 * 3600_000),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
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
    '',
    'The Warbler relay: WebSocket sessions and HTTP on one port.',
    'reset-account deletes an account whose owner lost every device (its devices, queues and prekeys),',
    'so the username can be registered again; the people it talked to are warned that its key changed.',
    '',
    'Options:',
    ...lines,
  ].join('\n');
}

export type RelayCommand = { name: 'reset-account'; username: string };
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
    const envName = options[name].env;
    return envName ? env[envName] || undefined : undefined;
  };
  const parsed = RelayConfig.safeParse({
    port: pick('port'),
    host: pick('host'),
    data: pick('data'),
    queueTtlMs: pick('queue-ttl'),
    cacheMs: pick('cache-duration'),
    logLevel: pick('log-level'),
  });
  if (!parsed.success) throw new Error(`invalid option: ${describeZodError(parsed.error)}`);
  return { help: false, config: { ...parsed.data, data: path.resolve(parsed.data.data) }, ...(command ? { command } : {}) };
}

function parseCommand(positionals: string[]): RelayCommand | undefined {
  if (positionals.length === 0) return undefined;
  const [name, username, ...rest] = positionals;
  if (name !== 'reset-account') throw new Error(`unknown command "${name}"`);
  if (username === undefined || rest.length > 0) throw new Error('usage: reset-account USERNAME');
  const parsed = Username.safeParse(username);
  if (!parsed.success) throw new Error(`invalid username: ${describeZodError(parsed.error)}`);
  return { name, username: parsed.data };
}
