// One Warbler client in a process of its own, so that it can run in a network namespace of its own
// (tests/netns.ts): the built client core (npm run build), driven by JSON lines on stdin, telling
// what happens as JSON lines on stdout. Its warnings (the core's logger) go to stderr.
//
//   node tests/netns-peer.ts PROFILE_DIR SERVER_URL USERNAME
//
// Registers USERNAME on the relay, connects, then prints {"event":"online"}. Commands:
//   {"cmd":"send","to":"bob","texts":[...]}  every text at once, as a person typing fast would;
//        {"event":"sent",...} once all are written and the outbox is empty (all accepted by the relay)
//   {"cmd":"history","with":"bob","limit":5000}  {"event":"history","messages":[...]}, oldest first
//   {"cmd":"close"}  closes the client and exits
// and, unasked, {"event":"received",...} for each message stored from the relay, {"event":"state",...}.
import readline from 'node:readline';
import type * as ClientModule from '../core/client.js';
import type { WarblerClient } from '../core/client.js';

const [profile, server, username] = process.argv.slice(2);
if (!profile || !server || !username) {
  console.error('usage: node tests/netns-peer.ts PROFILE_DIR SERVER_URL USERNAME');
  process.exit(2);
}

const out = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The built core, as the CLI and the relay run: this file runs with Node's type stripping, which
// does not map the sources' .js imports to their .ts files.
const { WarblerClient: Client } = (await import(new URL('../dist/core/client.js', import.meta.url).href)) as typeof ClientModule;

/** The relay starts in its own namespace at the same time: wait for it, over the same faulty link. */
async function relayUp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${url}/v1/health`, { signal: AbortSignal.timeout(5000) })).ok) return;
    } catch {
      // not up yet, or the request was lost and timed out
    }
    if (Date.now() > deadline) throw new Error(`the relay at ${url} did not answer within ${timeoutMs} ms`);
    await sleep(200);
  }
}

let client: WarblerClient | undefined;
async function closeAndExit(code: number): Promise<never> {
  await client?.close().catch(() => undefined);
  process.exit(code);
}

async function main(): Promise<void> {
  await relayUp(server!, 60_000);
  const c = (client = await Client.register(profile!, server!, username!));
  c.on('received', (m) => out({ event: 'received', id: m.id, from: m.sender, conversationId: m.conversationId, kind: m.kind, text: m.text }));
  c.on('state', (state) => out({ event: 'state', state, at: Date.now() }));
  c.on('fatal', (err) => out({ event: 'fatal', message: err.message }));
  c.start();
  await c.waitOnline(60_000);
  out({ event: 'online' });

  const commands = readline.createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    const command = JSON.parse(line) as { cmd: string; to?: string; texts?: string[]; with?: string; limit?: number };
    handle(c, command).catch((err: unknown) => {
      out({ event: 'error', message: (err as Error).stack ?? String(err) });
      void closeAndExit(1);
    });
  });
  // Whoever drives it is gone.
  commands.on('close', () => void closeAndExit(0));
}

async function handle(c: WarblerClient, command: { cmd: string; to?: string; texts?: string[]; with?: string; limit?: number }): Promise<void> {
  switch (command.cmd) {
    case 'send': {
      const started = Date.now();
      const settled = await Promise.allSettled((command.texts ?? []).map((text) => c.send(command.to!, text)));
      const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
      // send() returns early (state "sending") when the connection drops: the outbox sends the rest on the next one.
      while (!c.outboxEmpty()) await sleep(50);
      const states: Record<string, number> = {};
      for (const s of settled) {
        const state = s.status === 'fulfilled' ? (c.message(s.value.id)?.state ?? 'missing') : 'rejected';
        states[state] = (states[state] ?? 0) + 1;
      }
      out({ event: 'sent', count: settled.length, ms: Date.now() - started, failures: failures.slice(0, 5), states });
      return;
    }
    case 'history':
      out({
        event: 'history',
        messages: c.messages(command.with!, command.limit ?? 5000).map((m) => ({ id: m.id, sender: m.sender, kind: m.kind, text: m.text, state: m.state })),
      });
      return;
    case 'close':
      await c.close();
      out({ event: 'closed' });
      process.exit(0);
      return;
    default:
      throw new Error(`unknown command ${command.cmd}`);
  }
}

process.on('SIGTERM', () => void closeAndExit(0));
main().catch((err: unknown) => {
  out({ event: 'error', message: (err as Error).stack ?? String(err) });
  void closeAndExit(1);
});
