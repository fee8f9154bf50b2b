// A push API client's budgets, as ntfy's visitor limits: requests (a burst, then one per refill
// interval) and the streams and subscriptions it holds open. The counts live in the relay's
// budgets (budgets.ts), so several nodes can share them.
import type { Budgets } from '../budgets.js';

export class Visitors {
  constructor(
    private readonly budgets: Pick<Budgets, 'pushRequests' | 'pushSubscriptions'>,
    private readonly now: () => number,
  ) {}

  /** Spends one request; false when the client has none left (429). Rejects with BudgetUnavailable (503). */
  request(client: string): Promise<boolean> {
    return this.budgets.pushRequests.take(client, 1, this.now());
  }

  /** Opens a subscription; null when the client holds too many (429), else the function that closes it. */
  subscribe(client: string): Promise<(() => void) | null> {
    return this.budgets.pushSubscriptions.hold(client);
  }
}
