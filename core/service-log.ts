// What the client service writes to the host's log, and the logs folder the host offers to the
// person. Lines name states, codes and usernames; never a request's or an event's payload, which
// may be message text, a link code or a passphrase.
import type { Logger } from 'pino';
import type { LogsFolder } from '../shared/ipc.js';
import type { WarblerClient } from './client.js';
import { scrubText } from './log-redact.js';

/** The host's log folder (null: it logs to stderr), and how it shows the folder, where it can. */
export interface HostLogs {
  dir: string | null;
  /** Opens the folder in the OS file manager; rejects with a reason to show when that fails. */
  open?: (dir: string) => Promise<void>;
}

export function logsFolder(logs: HostLogs | undefined): LogsFolder {
  return { path: logs?.dir ?? null, canOpen: Boolean(logs?.dir && logs.open) };
}

/** How the client's connection goes: enough to tell from the log why someone was offline. */
export function logClient(client: WarblerClient, log: Logger): void {
  log.info({ username: client.username, server: scrubText(client.serverUrl) }, 'profile opened');
  client.on('state', (state) => log.info({ state }, 'relay connection'));
  client.on('fatal', (err) => log.warn({ err }, 'relay connection stopped; it is started again from the app'));
  client.on('expired', (count) => log.warn({ count }, 'messages expired on the relay before this device came back'));
  client.on('refused', (count) => log.warn({ count }, 'the relay refused messages for this device while its queue was full'));
}
