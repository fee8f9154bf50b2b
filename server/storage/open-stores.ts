// Where the relay keeps what it keeps: PostgreSQL when --database names one (several nodes share
// it), otherwise SQLite under --data (one node, nothing else needed).
import type { RelayConfig } from '../config.js';
import { openPostgresRelayStores } from './postgres/relay-stores.js';
import type { RelayStores } from './relay-stores.js';
import { openSqliteRelayStores } from './sqlite/relay-stores.js';

/**
 * `forCommand`: an administration command beside a running relay, which leaves its queues' journal
 * alone. Only a node alone on its folder, asked to (--queue-journal), takes the journal.
 */
export async function openRelayStores(config: Pick<RelayConfig, 'database' | 'data'> & Partial<Pick<RelayConfig, 'queueJournal'>>, forCommand = false): Promise<RelayStores> {
  if (config.database) return openPostgresRelayStores(config.database);
  return openSqliteRelayStores(config.data, forCommand ? 'command' : config.queueJournal ? 'relay' : 'shared');
}
