// Per-client limits on the push API, as ntfy's visitor limits: a request budget that refills over
// time (a burst, then one request per interval) and a cap on open subscriptions.
export interface VisitorLimits {
  /** Requests a client may make at once. */
  burst: number;
  /** One more request becomes available this often. */
  refillMs: number;
  /** Streams and WebSocket subscriptions a client may hold open. */
  subscriptions: number;
}

interface Visitor {
  tokens: number;
  at: number;
  open: number;
}

export class Visitors {
  private readonly byClient = new Map<string, Visitor>();

  constructor(
    private readonly limits: VisitorLimits,
    private readonly now: () => number,
  ) {}

  /** Spends one request; false when the client has none left (429). */
  request(client: string): boolean {
    const v = this.visitor(client);
    if (v.tokens < 1) return false;
    v.tokens -= 1;
    return true;
  }

  /** Opens a subscription; null when the client holds too many (429), else the function that closes it. */
  subscribe(client: string): (() => void) | null {
    const v = this.visitor(client);
    if (v.open >= this.limits.subscriptions) return null;
    v.open += 1;
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      v.open -= 1;
    };
  }

  private visitor(client: string): Visitor {
    const now = this.now();
    let v = this.byClient.get(client);
    if (!v) {
      if (this.byClient.size > 50_000) this.sweep();
      v = { tokens: this.limits.burst, at: now, open: 0 };
      this.byClient.set(client, v);
    }
    v.tokens = Math.min(this.limits.burst, v.tokens + (now - v.at) / this.limits.refillMs);
    v.at = now;
    return v;
  }

  /** Forgets clients with a full budget and nothing open: they are as good as new. */
  private sweep(): void {
    const now = this.now();
    for (const [client, v] of this.byClient) {
      if (v.open === 0 && v.tokens + (now - v.at) / this.limits.refillMs >= this.limits.burst) this.byClient.delete(client);
    }
  }
}
