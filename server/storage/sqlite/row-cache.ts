// Rows read on every message (accounts, devices, contacts, hiding) kept in memory, so the hot path
// reads SQLite once per change rather than once per message. A store forgets an entry whenever it
// writes the rows behind it, inside the same transaction: a rolled-back write leaves the entry
// forgotten, and the next read takes it from the database again. Another connection's writes (an
// administration command run from another process, `warbler-server reset-account`) are seen in
// SQLite's data_version, which changes when anyone else commits: every cache is emptied then.
// Asking costs about 5 µs, so it is asked at most once a millisecond, not at every read: another
// process's change is seen within a millisecond. The oldest entries go past a bound.
import type Database from 'better-sqlite3-multiple-ciphers';

export class OtherWriters {
  private readonly caches: RowCache<unknown>[] = [];
  private readonly version: Database.Statement;
  private seen: unknown;
  private lookedAt = 0;

  constructor(db: Database.Database) {
    this.version = db.prepare('PRAGMA data_version').pluck();
    this.seen = this.version.get();
  }

  /** Empties every cache if another connection has committed since the last look. */
  check(): void {
    const now = performance.now();
    if (now - this.lookedAt < 1) return;
    this.lookedAt = now;
    const version = this.version.get();
    if (version === this.seen) return;
    this.seen = version;
    for (const cache of this.caches) cache.clear();
  }

  /** A cache on this connection: emptied when another connection writes. */
  cache<V>(max?: number): RowCache<V> {
    const cache = new RowCache<V>(this, max);
    this.caches.push(cache as RowCache<unknown>);
    return cache;
  }
}

export class RowCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly others: OtherWriters,
    private readonly max = 100_000,
  ) {}

  /** The cached value, or what `load` reads (cached unless undefined). */
  get(key: string, load: () => V | undefined): V | undefined {
    this.others.check();
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const value = load();
    if (value !== undefined) this.set(key, value);
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private set(key: string, value: V): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }
}
