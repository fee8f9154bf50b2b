// Migration 002 gives PostgreSQL the push and blob tables the SQLite relay has after its steps
// 001–007: the same columns, the same NULLs allowed, and the same values refused.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../tests/helpers.js';
import { openSqliteRelayDatabase } from '../../sqlite/database.js';
import type { PgDatabase } from '../database.js';
import { postgresNodes } from '../../../../tests/postgres-databases.js';

const TABLES = ['push_messages', 'push_users', 'push_tokens', 'push_rules', 'blobs', 'push_attachments'];

let db: PgDatabase;
let drop: () => Promise<void>;
beforeAll(async () => {
  const opened = await postgresNodes(1);
  db = opened.dbs[0]!;
  drop = opened.drop;
});
afterAll(() => drop?.());

function sqliteColumns(): Record<string, string[]> {
  const dir = tempDir('warbler-pg-002-');
  const sqlite = openSqliteRelayDatabase(dir);
  try {
    // SQLite's INTEGER PRIMARY KEY (seq) is never NULL but does not say so.
    const info = (table: string) => sqlite.db.prepare(`SELECT name, "notnull" FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string; notnull: number }[];
    return Object.fromEntries(TABLES.map((t) => [t, info(t).map((c) => `${c.name}${c.notnull || c.name === 'seq' ? ' not null' : ''}`)]));
  } finally {
    sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('PostgreSQL migration 002 (push and blobs)', () => {
  it('makes the tables SQLite has for these concerns, column for column', async () => {
    const result = await db.pool.query<{ table_name: string; column_name: string; is_nullable: string }>(
      `SELECT table_name, column_name, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name = ANY($1) ORDER BY table_name, ordinal_position`,
      [TABLES],
    );
    const pg: Record<string, string[]> = Object.fromEntries(TABLES.map((t) => [t, []]));
    for (const c of result.rows) pg[c.table_name]!.push(`${c.column_name}${c.is_nullable === 'NO' ? ' not null' : ''}`);
    expect(pg).toEqual(sqliteColumns());
  });

  it('refuses what SQLite refuses: an unknown role or permission, a negative size', async () => {
    const refused = [
      `INSERT INTO push_users (name, password_hash, role) VALUES ('x', 'h', 'root')`,
      `INSERT INTO push_rules (name, topic, permission) VALUES ('x', 't', 'all')`,
      `INSERT INTO blobs (id, owner, size, created_at) VALUES ('b', 'o', -1, 0)`,
      `INSERT INTO push_attachments (id, size, expires) VALUES ('f', -1, 0)`,
      `INSERT INTO push_tokens (hash, name, label) VALUES ('t', 'nobody', 'l')`,
    ];
    for (const sql of refused) await expect(db.pool.query(sql), sql).rejects.toThrow(/violates/);
  });
});
