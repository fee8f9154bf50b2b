// For `npm start` and `npm run web`: a relay on this machine when none answers at a loopback URL.
import type { Logger } from 'pino';
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
export async function ensureLocalRelay(serverUrl: string, dataDir: string, logger?: Logger): Promise<Relay | null> {
  if (await relayAnswers(serverUrl)) return null;
  const url = new URL(relayHttpUrl(serverUrl));
  if (!isLoopbackHost(url.hostname)) return null;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname === 'localhost' ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
  const config = RelayConfig.parse({ port, host, data: dataDir, logLevel: 'warn' });
  return startRelay({ config, ...(logger ? { logger } : {}) });
}
