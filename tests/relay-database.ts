// What a test reads from (or does to) a test relay's database beside the running relay: its SQLite
// file under the data folder, or, under WARBLER_TEST_BACKEND=postgres, the PostgreSQL database that
// folder's relay uses (bench/postgres.ts). Statements are written once, with `?` placeholders.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { testBackendFor, withClient } from '../bench/postgres.js';
import { RELAY_DATABASE_FILE } from '../server/storage/sqlite/database.js';
import { openRelayStores } from '../server/storage/open-stores.js';
import type { RelayStores } from '../server/storage/relay-stores.js';

const numbered = (sql: string): string => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

/** The rows of a query; counts and sums come back as numbers on both back ends. */
export async function relayRows<T = Record<string, unknown>>(dataDir: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const backend = await testBackendFor(dataDir);
  if (!backend) {
    const db = new Database(path.join(dataDir, RELAY_DATABASE_FILE), { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  return withClient(backend.database, async (client) => {
    const result = await client.query(numbered(sql), params);
    // pg hands a BIGINT (count(*), sums) over as a string.
    return result.rows.map((row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) && result.fields.find((f) => f.name === k)?.dataTypeID === 20 ? Number(v) : v])),
    ) as T[];
  });
}

/** The first column of the first row; undefined when there is none. */
export async function relayValue(dataDir: string, sql: string, params: unknown[] = []): Promise<unknown> {
  const [row] = await relayRows(dataDir, sql, params);
  return row ? Object.values(row)[0] : undefined;
}

/** Runs a statement that changes the database (the relay stopped, as an operator would). */
export async function relayRun(dataDir: string, sql: string, params: unknown[] = []): Promise<void> {
  const backend = await testBackendFor(dataDir);
  if (!backend) {
    const db = new Database(path.join(dataDir, RELAY_DATABASE_FILE));
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  await withClient(backend.database, (client) => client.query(numbered(sql), params));
}

/** The relay's stores, as an administration command opens them. */
export async function relayStores(dataDir: string): Promise<RelayStores> {
  const backend = await testBackendFor(dataDir);
  return openRelayStores({ data: dataDir, ...(backend ? { database: backend.database } : {}) }, true);
}

/** A copy of a stopped relay's data folder and database (a backup restored elsewhere). */
export async function copyRelay(from: string, to: string): Promise<void> {
  fs.cpSync(from, to, { recursive: true });
  const source = await testBackendFor(from);
  const target = await testBackendFor(to);
  if (!source || !target) return;
  const name = (url: string) => new URL(url).pathname.slice(1);
  const admin = new URL(source.database);
  admin.pathname = '/postgres';
  await withClient(admin.toString(), async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name(target.database)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name(target.database)} TEMPLATE ${name(source.database)}`);
  });
}
