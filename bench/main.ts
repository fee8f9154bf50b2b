// npm run bench [case] [--clients N] [--messages M]: prints one JSON object per case.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeZodError } from '../shared/protocol.js';
import { benchRelay } from './relay.js';

const Options = z.object({
  clients: z.coerce.number().int().min(2).max(2000).default(20),
  messages: z.coerce.number().int().min(1).max(100_000).default(250),
  window: z.coerce.number().int().min(1).max(256).default(8),
});

const cases = {
  relay: (o: z.infer<typeof Options>) => benchRelay({ clients: o.clients, messagesPerClient: o.messages, window: o.window }),
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { clients: { type: 'string' }, messages: { type: 'string' }, window: { type: 'string' } },
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
