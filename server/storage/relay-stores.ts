// Everything the relay keeps, one store per concern. SQLite implements them on one machine; they
// are asynchronous so that a networked database can implement them too.
import type { AccountStore } from './account-store.js';
import type { BlobIndex } from './blob-index.js';
import type { PreKeyStore } from './prekey-store.js';
import type { PresenceStore } from './presence-store.js';
import type { PushCache } from './push-cache.js';
import type { PushAttachmentIndex } from './push-attachment-index.js';
import type { PushUserStore } from './push-user-store.js';
import type { QueueStore } from './queue-store.js';
import type { RelayIdentityStore } from './relay-identity-store.js';

export interface RelayStores {
  accounts: AccountStore;
  queues: QueueStore;
  preKeys: PreKeyStore;
  presence: PresenceStore;
  pushCache: PushCache;
  pushUsers: PushUserStore;
  relayIdentity: RelayIdentityStore;
  /** The end-to-end encrypted attachments' owners and sizes (their bytes: server/blobs/). */
  blobIndex: BlobIndex;
  /** The sizes and expiries of files attached to pushes (their bytes: server/push/attachments.ts). */
  pushAttachments: PushAttachmentIndex;
  /** Whether a networked database answers now (for the health check); absent for a local file. */
  reachable?(): Promise<boolean>;
  /** Finishes the writes in flight, then closes the database. */
  close(): Promise<void>;
}
