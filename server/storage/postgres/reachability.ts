// Whether this node reaches its PostgreSQL, for the health check. Asked through the pool, the
// question queued behind the node's own work: in a burst of logins it waited past the check's
// patience, the node answered 503, and HAProxy took a busy node for a dead one and cut every
// session it held. A query the pool has just answered says yes at no cost; otherwise a connection
// of its own asks, so that a long queue is never mistaken for an outage.
import pg from 'pg';

/** An answer this recent from the pool is enough. */
const RECENT_MS = 1000;
/** A server that does not answer at all must not hold the health check past the balancer's patience. */
const ANSWER_WITHIN_MS = 1500;

interface Probe {
  client: pg.Client;
  connected: Promise<unknown>;
}

export class Reachability {
  private answeredAt = -Infinity;
  private probe: Probe | null = null;
  private asking: Promise<boolean> | null = null;
  private closed = false;

  constructor(
    pool: pg.Pool,
    private readonly url: string,
    private readonly recentMs = RECENT_MS,
  ) {
    // Released without an error: a query went to the server and came back.
    pool.on('release', (err) => {
      if (!err) this.answeredAt = performance.now();
    });
  }

  reachable(): Promise<boolean> {
    if (performance.now() - this.answeredAt < this.recentMs) return Promise.resolve(true);
    // Health checks that overlap share one question.
    this.asking ??= this.ask().finally(() => (this.asking = null));
    return this.asking;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.drop(this.probe);
  }

  private async ask(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ANSWER_WITHIN_MS);
    });
    const probe = this.probe ?? this.connect();
    try {
      const answered = await Promise.race([this.selectOne(probe), late]);
      if (!answered) await this.drop(probe);
      return answered;
    } finally {
      clearTimeout(timer);
    }
  }

  private connect(): Probe {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: ANSWER_WITHIN_MS });
    const probe: Probe = { client, connected: client.connect() };
    // A connection the server drops (a restart) is made again at the next question.
    client.on('error', () => void this.drop(probe));
    this.probe = probe;
    return probe;
  }

  private async selectOne(probe: Probe): Promise<boolean> {
    if (this.closed) return false;
    try {
      await probe.connected;
      await probe.client.query('SELECT 1');
      return true;
    } catch {
      await this.drop(probe);
      return false;
    }
  }

  /** Ends `probe`, and forgets it if it is still the one kept: a later question's is left alone. */
  private async drop(probe: Probe | null): Promise<void> {
    if (!probe) return;
    if (this.probe === probe) this.probe = null;
    await probe.client.end().catch(() => undefined);
  }
}
