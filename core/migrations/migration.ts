// Numbered schema migrations for one of the client's SQLite databases. PRAGMA user_version holds the
// number of the last step applied; the steps still to run all run in one transaction that also sets
// the new number, so a database is at one version or the next, never half way between.
import type Database from 'better-sqlite3-multiple-ciphers';

export interface Migration {
  /** The database's user_version once this step has run: 1, 2, 3, … with no gap. */
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

/** The database was written by a newer Warbler: this one would not know what its tables mean. */
export class SchemaTooNewError extends Error {
  readonly code = 'schema_too_new';
  constructor(
    readonly file: string,
    readonly found: number,
    readonly known: number,
  ) {
    super(`${file} is schema ${found}; this Warbler knows up to ${known}: update Warbler`);
  }
}

export const schemaVersion = (db: Database.Database): number => db.pragma('user_version', { simple: true }) as number;

/**
 * Brings the database in `file` up to the last migration; returns the version it was at. A newer
 * database is refused before anything is written to it; a step that fails leaves it as it was.
 */
export function migrate(db: Database.Database, file: string, migrations: readonly Migration[]): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration "${m.name}" is numbered ${m.version}, expected ${i + 1}`);
  });
  const known = migrations.length;
  // Read outside the transaction: the profile lock keeps every other Warbler process off this file.
  const found = schemaVersion(db);
  if (found > known) throw new SchemaTooNewError(file, found, known);
  if (found === known) return found;
  db.transaction(() => {
    for (const m of migrations.slice(found)) {
      try {
        m.up(db);
      } catch (err) {
        throw new Error(`${file}: migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
      }
    }
    db.pragma(`user_version = ${known}`);
  }).immediate();
  return found;
}
