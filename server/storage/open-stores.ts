// Where the relay keeps what it keeps: PostgreSQL when --database names one (several nodes share
// it), otherwise SQLite under --data (one node, nothing else needed).
import type { RelayConfig } from '../config.js';
import { openPostgresRelayStores } from './postgres/relay-stores.js';
import type { RelayStores } from './relay-stores.js';
import { openSqliteRelayStores } from './sqlite/relay-stores.js';

/**
 * `forCommand`: an administration command beside a running relay, which leaves its queues' journal
 * alone. With --redis, several nodes may share the SQLite folder: none takes the journal.
 */
export async function openRelayStores(config: Pick<RelayConfig, 'database' | 'data' | 'redis'>, forCommand = false): Promise<RelayStores> {
  if (config.database) return openPostgresRelayStores(config.database);
  return openSqliteRelayStores(config.data, forCommand ? 'command' : config.redis ? 'node' : 'relay');
}
