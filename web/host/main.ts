// Entry of `npm run web`: the default profile in a browser tab, plus a local relay if none answers.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Passphrase, ServerUrl } from '../../shared/ipc.js';
import { describeZodError } from '../../shared/protocol.js';
import { Port } from '../../shared/urls.js';
import { DEFAULT_WEB_PORT, defaultProfileDir, defaultRelayDataDir, defaultServerUrl } from '../../core/paths.js';
import { startLocalRelay } from '../../server/embedded.js';
import { startWebHost } from './host.js';

const Options = z.object({
  port: Port.default(DEFAULT_WEB_PORT),
  profile: z.string().min(1).optional(),
  server: ServerUrl.optional(),
  'key-file': z.string().min(1).optional(),
  /** From WARBLER_PASSPHRASE, as the CLI reads it. */
  passphrase: Passphrase.optional(),
});

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { port: { type: 'string' }, profile: { type: 'string' }, server: { type: 'string' }, 'key-file': { type: 'string' } },
    strict: true,
  });
  const parsed = Options.safeParse({ ...values, passphrase: process.env.WARBLER_PASSPHRASE || undefined });
  if (!parsed.success) throw new Error(describeZodError(parsed.error).replace(/^passphrase:/, 'WARBLER_PASSPHRASE:'));
  const keyFile = parsed.data['key-file'];
  const passphrase = parsed.data.passphrase;
  if (keyFile !== undefined && passphrase !== undefined) throw new Error('give --key-file or WARBLER_PASSPHRASE, not both');
  const serverUrl = parsed.data.server ?? defaultServerUrl();
  const relay = await startLocalRelay(serverUrl, defaultRelayDataDir(), 'warbler web');
  const host = await startWebHost({
    profileDir: parsed.data.profile ?? defaultProfileDir(),
    port: parsed.data.port,
    defaultServerUrl: serverUrl,
    // A history this process cannot open is shown locked in the page, which offers the ways back.
    keys: passphrase !== undefined ? { kind: 'passphrase', passphrase } : { kind: 'key-file', ...(keyFile ? { path: keyFile } : {}) },
  });
  console.log(`Warbler is open at ${host.url}`);
  if (host.logsDir) console.log(`logs in ${host.logsDir}`);
  const stop = async () => {
    await host.close();
    await relay?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  console.error(`warbler web: ${(err as Error).message}`);
  process.exit(1);
});
