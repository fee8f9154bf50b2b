// Every relay store on one SQLite connection (relay.sqlite under the data folder).
import type { RelayStores } from '../relay-stores.js';
import { SqliteAccountStore } from './account-store.js';
import { SqliteBlobIndex } from './blob-index.js';
import { SqlitePushAttachmentIndex } from './push-attachment-index.js';
import { openSqliteRelayDatabase } from './database.js';
import { SqliteDeviceRows } from './device-rows.js';
import { SqlitePreKeyStore } from './prekey-store.js';
import { SqlitePresenceStore } from './presence-store.js';
import { SqlitePushCache } from './push-cache.js';
import { SqlitePushUserStore } from './push-user-store.js';
import { JournaledQueueStore } from './journaled-queue-store.js';
import { SqliteQueueStore } from './queue-store.js';
import { SqliteRelayIdentityStore } from './relay-identity-store.js';
import { OtherWriters } from './row-cache.js';
import { refuseUnreadJournal, takeBackSentIds } from './shared-folder.js';

/**
 * Who opens the folder: a relay alone there that takes the queues' journal (--queue-journal); a
 * relay writing its queues straight to relay.sqlite, alone or one of several nodes sharing the
 * folder (with --redis); or an administration command run beside a relay, which leaves the
 * journal to it.
 */
export type SqliteRole = 'relay' | 'shared' | 'command';

export function openSqliteRelayStores(dataDir: string, role: SqliteRole = 'relay'): RelayStores {
  const { db, writes, close } = openSqliteRelayDatabase(dataDir);
  const others = new OtherWriters(db);
  const devices = new SqliteDeviceRows(db, others);
  const presence = new SqlitePresenceStore(db, writes, others);
  const preKeys = new SqlitePreKeyStore(db, writes, devices);
  let queues: JournaledQueueStore | SqliteQueueStore;
  try {
    if (role === 'shared') {
      refuseUnreadJournal(db, dataDir);
      takeBackSentIds(db, dataDir);
    }
    queues = role === 'relay' ? new JournaledQueueStore(db, writes, { devices, presence }, dataDir) : new SqliteQueueStore(db, writes, { devices, presence });
  } catch (err) {
    close();
    throw err;
  }
  return {
    accounts: new SqliteAccountStore(db, { devices, preKeys, queues, presence }, others),
    queues,
    preKeys,
    presence,
    pushCache: new SqlitePushCache(db, writes),
    pushUsers: new SqlitePushUserStore(db),
    relayIdentity: new SqliteRelayIdentityStore(db),
    blobIndex: new SqliteBlobIndex(db),
    pushAttachments: new SqlitePushAttachmentIndex(db),
    async close() {
      try {
        if (queues instanceof JournaledQueueStore) await queues.close();
      } finally {
        close();
      }
    },
  };
}
