// Numbered schema migrations for an SQLite database (the client's history, the relay's database).
// PRAGMA user_version holds the number of the last step applied; the steps still to run all run in
// one transaction that also sets the new number, so a database is at one version or the next,
// never half way between. Written against the little of better-sqlite3's API it needs, so shared/
// stays free of Node modules.
import type { ErrorCode } from './errors.js';

/** What the migrator uses of a better-sqlite3 connection. */
export interface MigratableDatabase {
  pragma(source: string, options: { simple: true }): unknown;
  pragma(source: string): unknown;
  transaction<F extends () => number>(fn: F): { immediate(): number };
}

export interface Migration<Db> {
  /** The database's user_version once this step has run: 1, 2, 3, … with no gap. */
  readonly version: number;
  readonly name: string;
  up(db: Db): void;
}

/** The database was written by a newer Warbler: this one would not know what its tables mean. */
export class SchemaTooNewError extends Error {
  readonly code: ErrorCode = 'schema_too_new';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(`${file} is schema ${found}; this Warbler knows up to ${known}: update Warbler`);
    this.name = 'SchemaTooNewError';
  }
}

export const schemaVersion = (db: MigratableDatabase): number => db.pragma('user_version', { simple: true }) as number;

/**
 * The same DDL with every CREATE TABLE and CREATE INDEX made IF NOT EXISTS: for a step that makes
 * what only some databases at its version lack, and leaves the others as they are.
 */
export const ifNotExists = (ddl: string): string => ddl.replace(/CREATE (TABLE|INDEX) /g, 'CREATE $1 IF NOT EXISTS ');

/**
 * Brings the database in `file` up to the last migration; returns the version it was at. A newer
 * database is refused before anything is written to it; a step that fails leaves it as it was.
 */
export function migrate<Db extends MigratableDatabase>(db: Db, file: string, migrations: readonly Migration<Db>[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" is numbered ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  const before = schemaVersion(db);
  if (before > known) throw new SchemaTooNewError(file, before, known);
  if (before === known) return before;
  // Another connection (a relay administration command, say) may open the file at the same time:
  // the version is read again under the write lock, so only one of them runs the steps.
  return db
    .transaction(() => {
      const found = schemaVersion(db);
      if (found > known) throw new SchemaTooNewError(file, found, known);
      for (const m of migrations.slice(found)) {
        try {
          m.up(db);
        } catch (err) {
          throw new Error(`${file}: migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
        }
      }
      db.pragma(`user_version = ${known}`);
      return found;
    })
    .immediate();
}
