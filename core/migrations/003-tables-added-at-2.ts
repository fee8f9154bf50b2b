// The resend requests and the push center's tables came while the schema was numbered 2, and each
// open made any table that was missing. A history made by a schema-2 release from before them lacks
// them; this step makes them there, and changes nothing in a history that has them.
import { ifNotExists } from '../../shared/sqlite-migrations.js';
import { TABLES_ADDED_AT_2 } from './002-end-to-end.js';
import type { Migration } from './migration.js';

export const tablesAddedAt2: Migration = {
  version: 3,
  name: 'tables an early schema 2 lacks',
  up(db) {
    db.exec(ifNotExists(TABLES_ADDED_AT_2));
  },
};
