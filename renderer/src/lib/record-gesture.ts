// The microphone button's gestures, as a pure state machine. Recording starts as soon as the button
// is pressed (nothing said in the first 300 ms is lost); the release decides what it was:
// - released within HOLD_MS: a click. Recording goes on until the next press (or Enter/Space), which sends.
// - held HOLD_MS or longer: hold-to-record. Releasing sends; releasing after sliding away cancels.
// Escape or the cancel button cancels either way. The keyboard toggles, as a click does.

export const HOLD_MS = 300;

export type GestureState =
  /** Not recording. */
  | { phase: 'idle' }
  /** The button is held down; `away`: the pointer slid off it (releasing now cancels). */
  | { phase: 'pressed'; at: number; away: boolean }
  /** Click-to-record: recording until the button is pressed again. */
  | { phase: 'toggled' };

export type GestureInput =
  | { type: 'press'; at: number }
  | { type: 'release'; at: number }
  /** The held pointer moved off the button (true) or back onto it (false). */
  | { type: 'away'; away: boolean }
  /** Enter or Space on the button. */
  | { type: 'activate' }
  | { type: 'escape' }
  | { type: 'cancel' }
  /** The recording stopped by itself (the microphone was refused or went away): forget the gesture. */
  | { type: 'ended' };

/** What to do with the recording: start it, finish and send it, or throw it away. */
export type GestureEffect = 'start' | 'finish' | 'cancel' | null;

export const IDLE: GestureState = { phase: 'idle' };

export function nextGesture(state: GestureState, input: GestureInput): { state: GestureState; effect: GestureEffect } {
  const stay = { state, effect: null };
  if (input.type === 'ended') return { state: IDLE, effect: null };
  if (input.type === 'escape' || input.type === 'cancel') {
    return state.phase === 'idle' ? stay : { state: IDLE, effect: 'cancel' };
  }
  switch (state.phase) {
    case 'idle':
      if (input.type === 'press') return { state: { phase: 'pressed', at: input.at, away: false }, effect: 'start' };
      if (input.type === 'activate') return { state: { phase: 'toggled' }, effect: 'start' };
      return stay;
    case 'pressed':
      if (input.type === 'away') return { state: { ...state, away: input.away }, effect: null };
      if (input.type === 'release') {
        if (state.away) return { state: IDLE, effect: 'cancel' };
        if (input.at - state.at < HOLD_MS) return { state: { phase: 'toggled' }, effect: null };
        return { state: IDLE, effect: 'finish' };
      }
      return stay;
    case 'toggled':
      // The second click sends on press: the release that follows finds the button idle and does nothing.
      if (input.type === 'press' || input.type === 'activate') return { state: IDLE, effect: 'finish' };
      return stay;
  }
}

/** Whether the button is being held long enough that releasing it sends (for the hint shown). */
export function isHolding(state: GestureState, now: number): boolean {
  return state.phase === 'pressed' && now - state.at >= HOLD_MS;
}
