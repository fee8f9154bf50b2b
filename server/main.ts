#!/usr/bin/env node
import { helpText, parseRelayArgs } from './config.js';
import { startRelay } from './relay.js';
import { openRelayStores } from './storage/open-stores.js';
import { runCommand } from './commands.js';
import { LOW_OPEN_FILES, openFileLimits } from './open-files.js';

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseRelayArgs(process.argv.slice(2), process.env);
  } catch (err) {
    console.error(`warbler-server: ${(err as Error).message} (see --help)`);
    process.exit(2);
  }
  if (parsed.help) {
    console.log(helpText());
    return;
  }
  if (parsed.command) {
    const stores = await openRelayStores(parsed.config, true);
    try {
      console.log(await runCommand(parsed.command, stores, process.env));
    } finally {
      await stores.close();
    }
    return;
  }
  const relay = await startRelay({ config: parsed.config });
  const openFiles = openFileLimits();
  if (openFiles && openFiles.soft < LOW_OPEN_FILES) {
    relay.log.warn(openFiles, 'open-file limit is low: each connection holds one (raise LimitNOFILE, or ulimit -Hn, for more clients)');
  } else if (openFiles) {
    relay.log.info(openFiles, 'open-file limit');
  }
  const stop = (signal: string) => {
    relay.log.info({ signal }, 'shutting down');
    relay.close().then(
      () => process.exit(0),
      (err: unknown) => {
        relay.log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(`warbler-server: ${(err as Error).message}`);
  process.exit(1);
});
