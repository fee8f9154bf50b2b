// The relay stores on PostgreSQL (--database), shared by every node of a relay.
import type { RelayStores } from '../relay-stores.js';
import { PgAccountStore } from './account-store.js';
import { PgBlobIndex } from './blob-index.js';
import { openPostgresDatabase, type PgDatabase } from './database.js';
import { PgPushAttachmentIndex } from './push-attachment-index.js';
import { PgPushCache } from './push-cache.js';
import { PgPushUserStore } from './push-user-store.js';
import { PgPreKeyStore } from './prekey-store.js';
import { PgPresenceStore } from './presence-store.js';
import { PgQueueStore } from './queue-store.js';
import { PgRelayIdentityStore } from './relay-identity-store.js';

export type PgCoreStores = Pick<RelayStores, 'accounts' | 'queues' | 'preKeys' | 'presence' | 'relayIdentity'>;

/** The messaging stores (accounts, queues, prekeys, presence, the relay key) on one pool. */
export function openPostgresCoreStores(db: PgDatabase): PgCoreStores {
  const presence = new PgPresenceStore(db);
  const preKeys = new PgPreKeyStore(db);
  const queues = new PgQueueStore(db);
  return {
    accounts: new PgAccountStore(db, { preKeys, queues, presence }),
    queues,
    preKeys,
    presence,
    relayIdentity: new PgRelayIdentityStore(db),
  };
}

/** Every relay store on a pool of the database at `url`, brought up to the current schema first. */
export async function openPostgresRelayStores(url: string): Promise<RelayStores> {
  const db = await openPostgresDatabase(url);
  return {
    ...openPostgresCoreStores(db),
    pushCache: new PgPushCache(db),
    pushUsers: new PgPushUserStore(db),
    blobIndex: new PgBlobIndex(db),
    pushAttachments: new PgPushAttachmentIndex(db),
    reachable: () => db.reachable(),
    close: () => db.close(),
  };
}
