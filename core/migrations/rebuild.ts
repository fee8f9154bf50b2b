// SQLite's ALTER TABLE cannot change a column's constraints or make a column the primary key: such a
// step makes the table again under its own name and copies every row across, keeping each row's
// rowid and an AUTOINCREMENT table's counter, so no id ever handed out is handed out again.
import type Database from 'better-sqlite3-multiple-ciphers';

export interface Rebuild {
  table: string;
  /** The new table's CREATE TABLE statement. */
  create: string;
  /** The new table's columns, and the old table's expressions that fill them, in the same order. */
  into: string;
  from: string;
  /** The new table's indexes: the old table's are dropped with it. */
  indexes: string[];
}

function autoincrementCounter(db: Database.Database, table: string): number | undefined {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'").get();
  return exists ? (db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').pluck().get(table) as number | undefined) : undefined;
}

/** Runs inside the migration's transaction (DDL is transactional in SQLite). */
export function rebuildTable(db: Database.Database, r: Rebuild): void {
  const old = `${r.table}_before_rebuild`;
  // The rename takes the table's indexes and its sqlite_sequence row along.
  db.exec(`ALTER TABLE ${r.table} RENAME TO ${old}`);
  db.exec(r.create);
  db.exec(`INSERT INTO ${r.table} (${r.into}) SELECT ${r.from} FROM ${old} ORDER BY rowid`);
  const counter = autoincrementCounter(db, old);
  if (counter !== undefined) {
    // The copy set the counter to the highest id left; ids above it were handed out and deleted.
    db.prepare('DELETE FROM sqlite_sequence WHERE name = ?').run(r.table);
    db.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(r.table, counter);
  }
  db.exec(`DROP TABLE ${old}`);
  for (const sql of r.indexes) db.exec(sql);
}
