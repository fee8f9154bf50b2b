// Every schema the relay's PostgreSQL database has had, in order. A released step is never edited:
// a change to the schema is a new step at the end, with its own test.
import type pg from 'pg';
import { messaging } from './001-messaging.js';
import { pushAndBlobs } from './002-push-and-blobs.js';
import { queueFunctions } from './003-queue-functions.js';
import { plannedQueueLocks } from './004-planned-queue-locks.js';
import { batchedQueueFunctions } from './005-batched-queue-functions.js';

export interface PgMigration {
  /** The database's version once this step has run: 1, 2, 3, … with no gap. */
  readonly version: number;
  readonly name: string;
  up(client: pg.PoolClient): Promise<void>;
}

export const POSTGRES_MIGRATIONS: readonly PgMigration[] = [
  messaging,
  pushAndBlobs,
  queueFunctions,
  plannedQueueLocks,
  batchedQueueFunctions,
];
