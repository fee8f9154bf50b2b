// For `npm start` and `npm run web`: a relay on this machine when none answers at a loopback URL.
import { isLoopbackHost, relayHttpUrl } from '../shared/urls.js';
import { startRelay, type Relay } from './relay.js';
import { RelayConfig } from './config.js';

export async function relayAnswers(serverUrl: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const res = await fetch(`${relayHttpUrl(serverUrl)}/v1/health`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts a relay on the URL's loopback port with its database under dataDir, unless one already
 * answers there. Returns the relay it started, or null when one was already running.
 */
async function ensureLocalRelay(serverUrl: string, dataDir: string): Promise<Relay | null> {
  if (await relayAnswers(serverUrl)) return null;
  const url = new URL(relayHttpUrl(serverUrl));
  if (!isLoopbackHost(url.hostname)) return null;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
  const config = RelayConfig.parse({ port, host, data: dataDir, logLevel: 'warn' });
  return startRelay({ config });
}

/**
 * ensureLocalRelay for `npm start` and `npm run web`, saying on the terminal which relay it started.
 * A relay that cannot start (the port held by something that is not a relay, a database from a newer
 * relay) is one line, not a stack: the app starts anyway and shows that it cannot connect.
 */
export async function startLocalRelay(serverUrl: string, dataDir: string, program: string): Promise<Relay | null> {
  try {
    const relay = await ensureLocalRelay(serverUrl, dataDir);
    if (relay) console.log(`${program}: local relay on ${relay.url} (data in ${dataDir})`);
    return relay;
  } catch (err) {
    console.error(`${program}: could not start the local relay: ${err instanceof Error ? err.message : String(err)}`);
    return null;
  }
}
