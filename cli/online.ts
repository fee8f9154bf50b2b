// How a CLI command gets at the profile's client: opened, connected where the command needs the
// relay, and closed however the command ends.
import type { WarblerClient } from '../core/client.js';

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Starts the connection; resolves once online. Rejects at the first attempt that fails rather than
 * retrying: a script wants the reason (relay down, device removed) now, and its own exit code.
 */
export async function connect(client: WarblerClient): Promise<void> {
  client.start();
  await client.waitOnline(CONNECT_TIMEOUT_MS, { failFast: true });
}

/** Runs fn with the client `open` gives, and closes it afterwards, whether fn succeeded or not. */
export async function withClient<T>(open: () => Promise<WarblerClient>, fn: (client: WarblerClient) => Promise<T>): Promise<T> {
  const client = await open();
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** withClient, with the client connected before fn runs. */
export function online<T>(open: () => Promise<WarblerClient>, fn: (client: WarblerClient) => Promise<T>): Promise<T> {
  return withClient(open, async (client) => {
    await connect(client);
    return fn(client);
  });
}
