// Group commit: the writes that arrive within one turn of the event loop share one transaction,
// so one fsync. Each write must be atomic on its own, so one failing write does not undo the others:
// a better-sqlite3 transaction (nested, it runs as a savepoint) or a single statement (SQLite undoes
// a failing statement alone).
import type Database from 'better-sqlite3-multiple-ciphers';

interface PendingWrite {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  private readonly pending: PendingWrite[] = [];
  private scheduled = false;

  constructor(private readonly db: Database.Database) {}

  /** Runs `run` (a transaction, or one statement) in the next shared commit; settles once that is durable. */
  write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is waiting now (before the database closes). */
  flush(): void {
    this.scheduled = false;
    const writes = this.pending.splice(0);
    if (writes.length === 0) return;
    const outcomes: Outcome[] = [];
    try {
      this.db.transaction(() => {
        for (const write of writes) {
          try {
            outcomes.push({ ok: true, value: write.run() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const write of writes) write.reject(error);
      return;
    }
    writes.forEach((write, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  }
}
