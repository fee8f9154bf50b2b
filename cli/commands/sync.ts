// sync: prints every message this profile received that the CLI has not printed yet, whichever
// Warbler process of the profile received it (core/client/printed-cursor.ts); --follow goes on
// printing them as they are stored.
import type { WarblerClient } from '../../core/client.js';
import { connect } from '../online.js';
import { actionLine, messageLine, writeLines } from '../output.js';

/** Stored messages looked at per page: a long backlog is printed, and marked, in steps. */
const PAGE = 500;
const DRAIN_TIMEOUT_MS = 120_000;

export interface SyncOptions {
  json: boolean;
}

/** Prints what is unprinted, page by page; each page is marked printed only once it is written. */
async function printUnprinted(client: WarblerClient, json: boolean): Promise<void> {
  for (let page = client.unprinted(PAGE); page; page = client.unprinted(PAGE)) {
    await writeLines([...page.messages.map((m) => messageLine(m, json)), ...page.actions.map((a) => actionLine(a, json))]);
    client.markPrinted(page.through);
  }
}

/** Receives the backlog queued on the relay, then prints; prints nothing when the relay cannot be reached. */
export async function syncOnce(client: WarblerClient, { json }: SyncOptions): Promise<void> {
  const drained = client.waitDrained(DRAIN_TIMEOUT_MS);
  // Awaited below unless connecting fails first: then its later timeout must not be an unhandled rejection.
  drained.catch(() => undefined);
  await connect(client);
  await drained;
  await printUnprinted(client, json);
}

/** Prints what is unprinted, then each message as it is stored, until SIGINT or SIGTERM. */
export function follow(client: WarblerClient, { json }: SyncOptions): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let printing = Promise.resolve();
    let queued = false;
    let stopped = false;
    const fail = (err: unknown) => {
      stopped = true;
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    // One printer at a time, and a burst of stored messages costs one more pass, not one each.
    const print = () => {
      if (queued || stopped) return;
      queued = true;
      printing = printing
        .then(() => {
          queued = false;
          return stopped ? undefined : printUnprinted(client, json);
        })
        .catch(fail);
    };
    // A stop lets the page being printed be marked (what was printed is not printed again), and
    // starts no other: the client is closed next.
    const stop = () => {
      stopped = true;
      void printing.then(resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    client.on('received', print);
    client.on('acted', print);
    client.on('fatal', fail);
    client.on('state', (state) => {
      if (!json) console.error(`(${state})`);
    });
    print();
    client.start();
  });
}
