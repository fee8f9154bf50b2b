// The push API's users in PostgreSQL: Argon2id password strings, token hashes, per-topic rules.
// Every write is one statement (upserts by ON CONFLICT) or one transaction, so nodes writing the
// same user or rule at once leave one row, the last write's.
import { z } from 'zod';
import { PUSH_PERMISSIONS, type PushPermission, type PushRole, type PushUserStore } from '../push-user-store.js';
import type { PgDatabase } from './database.js';
import { firstRowOf, rowsOf } from './rows.js';

const Role = z.enum(['admin', 'user']);
const UserRow = z.object({ name: z.string(), role: Role, password_hash: z.string() });
const TokenUserRow = z.object({ name: z.string(), role: Role });
const RuleRow = z.object({ topic: z.string(), permission: z.enum(PUSH_PERMISSIONS) });

export class PgPushUserStore implements PushUserStore {
  constructor(private readonly db: PgDatabase) {}

  async pushUser(name: string): Promise<{ name: string; role: PushRole; passwordHash: string } | undefined> {
    const result = await this.db.pool.query('SELECT name, role, password_hash FROM push_users WHERE name = $1', [name]);
    const row = firstRowOf(result, UserRow, 'push user');
    return row && { name: row.name, role: row.role, passwordHash: row.password_hash };
  }

  async pushUserByToken(tokenHash: string, nowS: number): Promise<{ name: string; role: PushRole } | undefined> {
    const result = await this.db.pool.query(
      `SELECT u.name, u.role FROM push_tokens t JOIN push_users u ON u.name = t.name
       WHERE t.hash = $1 AND (t.expires IS NULL OR t.expires > $2)`,
      [tokenHash, nowS],
    );
    return firstRowOf(result, TokenUserRow, 'push token');
  }

  async pushRules(name: string): Promise<{ topic: string; permission: PushPermission }[]> {
    return rowsOf(await this.db.pool.query('SELECT topic, permission FROM push_rules WHERE name = $1', [name]), RuleRow, 'push rule');
  }

  async savePushUser(name: string, passwordHash: string, role: PushRole): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO push_users (name, password_hash, role) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role`,
      [name, passwordHash, role],
    );
  }

  async removePushUser(name: string): Promise<boolean> {
    // Tokens go with the user (ON DELETE CASCADE); rules name users without a foreign key ('*').
    return this.db.transaction(async (client) => {
      await client.query('DELETE FROM push_rules WHERE name = $1', [name]);
      return ((await client.query('DELETE FROM push_users WHERE name = $1', [name])).rowCount ?? 0) > 0;
    });
  }

  /** As in SQLite, a token hash already there is an error, not a silent no-op: it may be another user's. */
  async addPushToken(name: string, tokenHash: string, label: string, expiresS: number | null): Promise<void> {
    await this.db.pool.query('INSERT INTO push_tokens (hash, name, label, expires) VALUES ($1, $2, $3, $4)', [tokenHash, name, label, expiresS]);
  }

  async setPushRule(name: string, topic: string, permission: PushPermission): Promise<void> {
    await this.db.pool.query(
      `INSERT INTO push_rules (name, topic, permission) VALUES ($1, $2, $3)
       ON CONFLICT (name, topic) DO UPDATE SET permission = excluded.permission`,
      [name, topic, permission],
    );
  }
}
