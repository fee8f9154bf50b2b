// How the queue store's statements find their rows: by an index, never by reading every device's
// queue. A login's expiry once scanned the whole envelopes table, so each login cost time in
// proportion to what every offline device had waiting.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteRelayDatabase } from './database.js';
import { queueStatements } from './queue-store.js';

/** Unbound parameters read as NULL: the plan is the same whatever they are. */
function unbound(source: string): unknown[] {
  const named = [...new Set(source.match(/@\w+/g) ?? [])].map((n) => [n.slice(1), null]);
  return named.length > 0 ? [Object.fromEntries(named)] : Array.from({ length: (source.match(/\?/g) ?? []).length }, () => null);
}

describe('the SQLite queue store', () => {
  it('finds the envelopes of every statement by an index, never by a scan of the table', () => {
    const relay = openSqliteRelayDatabase(fs.mkdtempSync(path.join(os.tmpdir(), 'warbler-queue-plans-')));
    try {
      const statements = Object.entries(queueStatements(relay.db));
      expect(statements.length).toBeGreaterThan(10);
      for (const [name, statement] of statements) {
        const plan = relay.db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all(...unbound(statement.source)) as { detail: string }[];
        expect(plan.map((step) => step.detail).filter((detail) => /^SCAN envelopes\b/.test(detail)), name).toEqual([]);
      }
    } finally {
      relay.close();
    }
  });
});
