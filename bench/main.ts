// npm run bench [case…] [--clients N] [--messages M]: prints one JSON object per case.
// Cases: relay (N clients, M messages each; --rate R for an open loop; --raw: the relay alone
// under a wire-protocol load generator beside ws and Socket.IO relays, --clients default 1,000,
// --rounds, --seconds, --window, --idle connections default 10,000, --queue-journal for Warbler's
// relay with its queues' journal), backlog (M queued messages,
// default 5,000), crypto (M ratchet message pairs, and fresh X3DH sessions), fanout (one topic with
// --subscribers N, default 10,000, on the relay and on the local Mosquitto; M messages sustained, default 200;
// --relay-cpu-prof DIR leaves a CPU profile of the relay there), attachments (a file of --size MB, default
// 20 then 100, sent through the core and the relay, beside curl through the same relay), search
// (a history of --messages M, default 1,000,000, in 200 conversations; 100 queries timed), open
// (a conversation of --messages M, default 100,000, opened in the web host in Chromium: time to its
// newest message painted, then scrolled to its start, and the renderer's JS heap there), cluster
// (the relay --raw load against one node on SQLite, one on PostgreSQL+Redis, and three behind
// HAProxy; --clients default 1,000, --seconds, --window, --modes 1,2,3 to pick among the three,
// --rate R for the open loop at R msg/s instead of half the maximum, --relay-cpu-prof DIR; Redis
// from WARBLER_REDIS).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeZodError } from '../shared/protocol.js';
import { benchAttachments } from './attachments.js';
import { benchBacklog } from './backlog.js';
import { benchCluster, MODES as CLUSTER_MODES } from './cluster.js';
import { benchCrypto } from './crypto.js';
import { benchFanout } from './fanout.js';
import { benchOpen } from './open.js';
import { benchRelay } from './relay.js';
import { benchRawRelay } from './relay-raw.js';
import { benchSearch } from './search.js';
import { MIN_CLIENTS } from './raw/load.js';

const Options = z.object({
  clients: z.coerce.number().int().min(2).max(2000).optional(),
  messages: z.coerce.number().int().min(1).max(2_000_000).optional(),
  rate: z.coerce.number().positive().max(100_000).optional(),
  // Bounded by the file limit: each side's subscribers are open at once, in this one process.
  subscribers: z.coerce.number().int().min(1).max(20_000).optional(),
  'relay-cpu-prof': z.string().min(1).optional(),
  /** Megabytes (10^6 bytes) of the attachments case's file. */
  size: z.coerce.number().int().min(1).max(1000).optional(),
  raw: z.boolean().optional(),
  'queue-journal': z.boolean().optional(),
  rounds: z.coerce.number().int().min(1).max(10).optional(),
  seconds: z.coerce.number().min(1).max(60).optional(),
  window: z.coerce.number().int().min(1).max(10_000).optional(),
  // Bounded by the file limit: the generator holds every connection in this one process.
  idle: z.coerce.number().int().min(0).max(15_000).optional(),
  /** The cluster case's deployments to run, by number: "1,2" (default all three). */
  modes: z
    .string()
    .regex(/^[1-3](,[1-3])*$/, 'modes are numbers 1 to 3, comma-separated')
    .transform((list) => list.split(',').map(Number))
    .optional(),
});

const cases = {
  relay: (o: z.infer<typeof Options>) =>
    o.raw
      ? benchRawRelay({ clients: Math.max(MIN_CLIENTS, o.clients ?? 1000), rounds: o.rounds ?? 3, seconds: o.seconds ?? 5, window: o.window ?? 1000, idle: o.idle ?? 10_000, queueJournal: o['queue-journal'] ?? false, ...(o['relay-cpu-prof'] ? { relayCpuProfileDir: o['relay-cpu-prof'] } : {}) })
      : benchRelay({ clients: o.clients ?? 20, messagesPerClient: o.messages ?? 250, ...(o.rate ? { rate: o.rate } : {}) }),
  backlog: (o: z.infer<typeof Options>) => benchBacklog(o.messages ?? 5000),
  crypto: (o: z.infer<typeof Options>) => benchCrypto(o.messages ?? 5000),
  fanout: (o: z.infer<typeof Options>) =>
    benchFanout({
      subscribers: o.subscribers ?? 10_000,
      messages: o.messages ?? 200,
      ...(o['relay-cpu-prof'] ? { relayCpuProfileDir: o['relay-cpu-prof'] } : {}),
    }),
  attachments: (o: z.infer<typeof Options>) => benchAttachments(o.size ? [o.size] : undefined),
  search: (o: z.infer<typeof Options>) => benchSearch(o.messages ?? 1_000_000),
  cluster: (o: z.infer<typeof Options>) =>
    benchCluster(
      {
        clients: Math.max(MIN_CLIENTS, o.clients ?? 1000),
        seconds: o.seconds ?? 5,
        window: o.window ?? 1000,
        redis: process.env.WARBLER_REDIS ?? 'redis://127.0.0.1:6379',
        ...(o.rate ? { rate: o.rate } : {}),
        ...(o['relay-cpu-prof'] ? { relayCpuProfileDir: o['relay-cpu-prof'] } : {}),
      },
      o.modes ? CLUSTER_MODES.filter((_, i) => o.modes!.includes(i + 1)) : CLUSTER_MODES,
    ),
  open: (o: z.infer<typeof Options>) => benchOpen(o.messages ?? 100_000),
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { clients: { type: 'string' }, messages: { type: 'string' }, rate: { type: 'string' }, subscribers: { type: 'string' }, 'relay-cpu-prof': { type: 'string' }, size: { type: 'string' }, raw: { type: 'boolean' }, 'queue-journal': { type: 'boolean' }, rounds: { type: 'string' }, seconds: { type: 'string' }, window: { type: 'string' }, idle: { type: 'string' }, modes: { type: 'string' } },
  });
  const parsed = Options.safeParse(values);
  if (!parsed.success) throw new Error(describeZodError(parsed.error));
  const names = positionals.length > 0 ? positionals : Object.keys(cases);
  for (const name of names) {
    if (!(name in cases)) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(cases).join(', ')}`);
    console.log(JSON.stringify(await cases[name as keyof typeof cases](parsed.data)));
  }
}

main().catch((err: unknown) => {
  console.error(`bench: ${(err as Error).message}`);
  process.exit(1);
});
