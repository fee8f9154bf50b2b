// Every schema the relay's database (relay.sqlite) has had, in order. A released step is never
// edited: a change to the schema is a new step at the end, with its own test.
import { messaging } from './001-messaging.js';
import { preKeysAndPush } from './002-prekeys-and-push.js';
import { tablesAddedAt2 } from './003-tables-added-at-2.js';
import { blobs } from './004-blobs.js';
import { pushAttachments } from './005-push-attachments.js';
import { queueTotals } from './006-queue-totals.js';
import { blobKeeping } from './007-blob-keeping.js';
import { queueJournal } from './008-queue-journal.js';
import type { Migration } from './migration.js';

export const RELAY_MIGRATIONS: readonly Migration[] = [messaging, preKeysAndPush, tablesAddedAt2, blobs, pushAttachments, queueTotals, blobKeeping, queueJournal];
