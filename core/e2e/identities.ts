// Who is who: the account key first seen for each contact (trust on first use), whether this
// person verified it by comparing safety numbers, and when it last changed.
// Its table is made by the history's numbered migrations (core/migrations/).
import type Database from 'better-sqlite3-multiple-ciphers';

export interface PinnedIdentity {
  username: string;
  accountKey: string;
  verified: boolean;
  changedAt: number | null;
  /** Its key changed after it was verified: sending waits for this person's decision. */
  held: boolean;
}

interface Row {
  username: string;
  account_key: string;
  verified: number;
  changed_at: number | null;
  held: number;
}

export type PinOutcome = 'same' | 'first' | 'changed';

export class IdentityStore {
  private readonly q;

  constructor(db: Database.Database) {
    this.q = {
      get: db.prepare('SELECT * FROM identities WHERE username = ?'),
      insert: db.prepare('INSERT INTO identities (username, account_key) VALUES (?, ?)'),
      change: db.prepare('UPDATE identities SET account_key = ?, held = verified, verified = 0, changed_at = ? WHERE username = ?'),
      verify: db.prepare('UPDATE identities SET verified = ?, held = 0 WHERE username = ?'),
    };
  }

  get(username: string): PinnedIdentity | undefined {
    const row = this.q.get.get(username) as Row | undefined;
    return (
      row && { username: row.username, accountKey: row.account_key, verified: row.verified === 1, changedAt: row.changed_at, held: row.held === 1 }
    );
  }

  /** Records the account key the relay gave for a contact; a different one than before is a change (and unverifies). */
  pin(username: string, accountKey: string, now: number): PinOutcome {
    const known = this.get(username);
    if (!known) {
      this.q.insert.run(username, accountKey);
      return 'first';
    }
    if (known.accountKey === accountKey) return 'same';
    this.q.change.run(accountKey, now, username);
    return 'changed';
  }

  setVerified(username: string, verified: boolean): void {
    this.q.verify.run(verified ? 1 : 0, username);
  }
}
