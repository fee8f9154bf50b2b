// Presence from the whole system, not only the window: someone typing in another program is not
// away, and a locked screen is away at once.
export const AWAY_AFTER_SECONDS = 300;

export interface IdleSource {
  /** Seconds since the last input anywhere on the system. */
  idleSeconds(): number;
}

export class SystemIdlePresence {
  private locked = false;
  private away: boolean | undefined;

  constructor(
    private readonly source: IdleSource,
    private readonly report: (state: 'online' | 'away') => void,
    private readonly thresholdSeconds = AWAY_AFTER_SECONDS,
  ) {}

  /** Called on a timer: reports only changes. */
  check(): void {
    this.set(this.locked || this.source.idleSeconds() >= this.thresholdSeconds);
  }

  screenLocked(): void {
    this.locked = true;
    this.check();
  }

  screenUnlocked(): void {
    this.locked = false;
    this.check();
  }

  private set(away: boolean): void {
    if (this.away === away) return;
    this.away = away;
    this.report(away ? 'away' : 'online');
  }
}
