// A step of the client history's schema (see shared/sqlite-migrations.ts).
import type Database from 'better-sqlite3-multiple-ciphers';
import type { Migration as Step } from '../../shared/sqlite-migrations.js';

export type Migration = Step<Database.Database>;
