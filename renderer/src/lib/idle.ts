// Idle → away, as a pure state machine: no DOM, no real clock. The caller feeds it activity and
// visibility changes and gives it a clock and a timer; it calls onChange only when the state changes.

export type ActivityState = 'online' | 'away';

export interface IdleClock {
  now(): number;
  /** Runs fn once after ms; returns a cancel function. */
  schedule(fn: () => void, ms: number): () => void;
}

export interface IdleTrackerOptions {
  /** Without activity (or hidden) this long → away. */
  timeoutMs: number;
  clock: IdleClock;
  onChange(state: ActivityState): void;
}

export interface IdleTracker {
  readonly state: ActivityState;
  /** Pointer, keyboard, focus…: ignored while the page is hidden (nobody can be using it). */
  activity(): void;
  /** Becoming visible counts as activity; becoming hidden starts the countdown afresh. */
  setHidden(hidden: boolean): void;
  dispose(): void;
}

export const IDLE_TIMEOUT_MS = 5 * 60_000;

export function createIdleTracker({ timeoutMs, clock, onChange }: IdleTrackerOptions): IdleTracker {
  let state: ActivityState = 'online';
  let hidden = false;
  let lastActivity = clock.now();
  let cancel: (() => void) | null = null;
  let disposed = false;

  function set(next: ActivityState): void {
    if (next === state) return;
    state = next;
    onChange(next);
  }

  // One timer at a time, aimed at lastActivity + timeoutMs. Activity only moves lastActivity, so a
  // stream of pointer moves costs nothing; the timer re-aims itself when it fires early.
  function arm(): void {
    if (disposed || cancel || state === 'away') return;
    const wait = Math.max(0, lastActivity + timeoutMs - clock.now());
    cancel = clock.schedule(fire, wait);
  }

  function fire(): void {
    cancel = null;
    if (disposed) return;
    if (clock.now() - lastActivity >= timeoutMs) set('away');
    else arm();
  }

  function touch(): void {
    lastActivity = clock.now();
    set('online');
    arm();
  }

  arm();

  return {
    get state() {
      return state;
    },
    activity() {
      if (disposed || hidden) return;
      touch();
    },
    setHidden(next) {
      if (disposed) return;
      hidden = next;
      if (next) {
        lastActivity = clock.now();
        arm();
      } else {
        touch();
      }
    },
    dispose() {
      disposed = true;
      cancel?.();
      cancel = null;
    },
  };
}
