// When to tell others "I am typing" in one conversation, as a pure state machine (clock injected).
// typing:true at most once per throttle window while keys keep coming; typing:false once, after a
// pause, when the text is sent or cleared, or when the composer goes away.

export interface TypingClock {
  now(): number;
  schedule(fn: () => void, ms: number): () => void;
}

export interface TypingSenderOptions {
  send(typing: boolean): void;
  clock: TypingClock;
  /** Minimum time between two typing:true. */
  throttleMs?: number;
  /** typing:false after this long without a keystroke. */
  idleMs?: number;
}

export interface TypingSender {
  /** The text changed by the user's hand; hasText: whether anything (non-blank) is left. */
  input(hasText: boolean): void;
  /** Sent, cleared, switched away: typing:false if typing:true was the last thing said. */
  stop(): void;
}

export const TYPING_THROTTLE_MS = 3_000;
export const TYPING_IDLE_MS = 5_000;

export function createTypingSender({
  send,
  clock,
  throttleMs = TYPING_THROTTLE_MS,
  idleMs = TYPING_IDLE_MS,
}: TypingSenderOptions): TypingSender {
  let typing = false;
  let lastTrueAt = -Infinity;
  let cancelIdle: (() => void) | null = null;

  function stop(): void {
    cancelIdle?.();
    cancelIdle = null;
    if (!typing) return;
    typing = false;
    lastTrueAt = -Infinity;
    send(false);
  }

  return {
    input(hasText) {
      if (!hasText) {
        stop();
        return;
      }
      const now = clock.now();
      if (!typing || now - lastTrueAt >= throttleMs) {
        typing = true;
        lastTrueAt = now;
        send(true);
      }
      cancelIdle?.();
      cancelIdle = clock.schedule(() => {
        cancelIdle = null;
        stop();
      }, idleMs);
    },
    stop,
  };
}
