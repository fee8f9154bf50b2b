// Where the relay keeps what it keeps: PostgreSQL when --database names one (several nodes share
// it), otherwise SQLite under --data (one node, nothing else needed).
import type { RelayConfig } from '../config.js';
import { openPostgresRelayStores } from './postgres/relay-stores.js';
import type { RelayStores } from './relay-stores.js';
import { openSqliteRelayStores } from './sqlite/relay-stores.js';

export async function openRelayStores(config: Pick<RelayConfig, 'database' | 'data'>): Promise<RelayStores> {
  return config.database ? openPostgresRelayStores(config.database) : openSqliteRelayStores(config.data);
}
