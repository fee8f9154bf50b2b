// The push cache, the push API's users, tokens and rules and the relay's signing key came while the
// schema was numbered 2, and each open made any table that was missing. A relay database made by a
// schema-2 release from before them lacks them; this step makes them there, and changes nothing in
// a database that has them.
import { ifNotExists } from '../../../../shared/sqlite-migrations.js';
import { TABLES_ADDED_AT_2 } from './002-prekeys-and-push.js';
import type { Migration } from './migration.js';

export const tablesAddedAt2: Migration = {
  version: 3,
  name: 'tables an early schema 2 lacks',
  up(db) {
    db.exec(ifNotExists(TABLES_ADDED_AT_2));
  },
};
