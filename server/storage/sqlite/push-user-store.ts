// The push API's users in SQLite: Argon2id password strings, token hashes, per-topic rules.
import type Database from 'better-sqlite3-multiple-ciphers';
import type { PushPermission, PushRole, PushUserStore } from '../push-user-store.js';

function statements(db: Database.Database) {
  return {
    user: db.prepare('SELECT name, role, password_hash FROM push_users WHERE name = ?'),
    userByToken: db.prepare(
      `SELECT u.name, u.role FROM push_tokens t JOIN push_users u ON u.name = t.name
       WHERE t.hash = ? AND (t.expires IS NULL OR t.expires > ?)`,
    ),
    rules: db.prepare('SELECT topic, permission FROM push_rules WHERE name = ?'),
    saveUser: db.prepare(
      `INSERT INTO push_users (name, password_hash, role) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role`,
    ),
    removeUser: db.prepare('DELETE FROM push_users WHERE name = ?'),
    removeRules: db.prepare('DELETE FROM push_rules WHERE name = ?'),
    addToken: db.prepare('INSERT INTO push_tokens (hash, name, label, expires) VALUES (?, ?, ?, ?)'),
    setRule: db.prepare(
      `INSERT INTO push_rules (name, topic, permission) VALUES (?, ?, ?)
       ON CONFLICT(name, topic) DO UPDATE SET permission = excluded.permission`,
    ),
  };
}

export class SqlitePushUserStore implements PushUserStore {
  private readonly q: ReturnType<typeof statements>;
  private readonly removeTx: (name: string) => boolean;

  constructor(db: Database.Database) {
    const q = statements(db);
    this.q = q;
    // Tokens go with the user (ON DELETE CASCADE); rules name users without a foreign key ('*').
    this.removeTx = db.transaction((name: string): boolean => {
      q.removeRules.run(name);
      return q.removeUser.run(name).changes > 0;
    });
  }

  async pushUser(name: string): Promise<{ name: string; role: PushRole; passwordHash: string } | undefined> {
    const row = this.q.user.get(name) as { name: string; role: PushRole; password_hash: string } | undefined;
    return row && { name: row.name, role: row.role, passwordHash: row.password_hash };
  }

  async pushUserByToken(tokenHash: string, nowS: number): Promise<{ name: string; role: PushRole } | undefined> {
    return this.q.userByToken.get(tokenHash, nowS) as { name: string; role: PushRole } | undefined;
  }

  async pushRules(name: string): Promise<{ topic: string; permission: PushPermission }[]> {
    return this.q.rules.all(name) as { topic: string; permission: PushPermission }[];
  }

  async savePushUser(name: string, passwordHash: string, role: PushRole): Promise<void> {
    this.q.saveUser.run(name, passwordHash, role);
  }

  async removePushUser(name: string): Promise<boolean> {
    return this.removeTx(name);
  }

  async addPushToken(name: string, tokenHash: string, label: string, expiresS: number | null): Promise<void> {
    this.q.addToken.run(tokenHash, name, label, expiresS);
  }

  async setPushRule(name: string, topic: string, permission: PushPermission): Promise<void> {
    this.q.setRule.run(name, topic, permission);
  }
}
