// The relay stores on PostgreSQL (--database), shared by every node of a relay. The push and blob
// stores join these where the whole set is opened.
import type { RelayStores } from '../relay-stores.js';
import { PgAccountStore } from './account-store.js';
import type { PgDatabase } from './database.js';
import { PgPreKeyStore } from './prekey-store.js';
import { PgPresenceStore } from './presence-store.js';
import { PgQueueStore } from './queue-store.js';
import { PgRelayIdentityStore } from './relay-identity-store.js';

export type PgCoreStores = Pick<RelayStores, 'accounts' | 'queues' | 'preKeys' | 'presence' | 'relayIdentity'>;

/** The messaging stores (accounts, queues, prekeys, presence, the relay key) on one pool. */
export function openPostgresCoreStores(db: PgDatabase): PgCoreStores {
  const presence = new PgPresenceStore(db);
  const preKeys = new PgPreKeyStore(db);
  const queues = new PgQueueStore(db, presence);
  return {
    accounts: new PgAccountStore(db, { preKeys, queues, presence }),
    queues,
    preKeys,
    presence,
    relayIdentity: new PgRelayIdentityStore(db),
  };
}
