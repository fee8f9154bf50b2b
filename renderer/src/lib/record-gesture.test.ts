import { describe, expect, it } from 'vitest';
import { HOLD_MS, IDLE, isHolding, nextGesture, type GestureEffect, type GestureInput, type GestureState } from './record-gesture.js';

/** Feeds the inputs in order; the effects they caused, and where it ended. */
function run(inputs: GestureInput[], from: GestureState = IDLE): { effects: GestureEffect[]; state: GestureState } {
  let state = from;
  const effects: GestureEffect[] = [];
  for (const input of inputs) {
    const next = nextGesture(state, input);
    state = next.state;
    if (next.effect) effects.push(next.effect);
  }
  return { effects, state };
}

describe('the microphone button', () => {
  it('click to record: a short press starts, the next press sends, its release does nothing more', () => {
    const first = run([{ type: 'press', at: 0 }, { type: 'release', at: 120 }]);
    expect(first).toEqual({ effects: ['start'], state: { phase: 'toggled' } });
    const second = run([{ type: 'press', at: 5_000 }, { type: 'release', at: 5_100 }], first.state);
    expect(second).toEqual({ effects: ['finish'], state: IDLE });
  });

  it('hold to record: recording starts on press, releasing after 300 ms or more sends', () => {
    expect(run([{ type: 'press', at: 1_000 }, { type: 'release', at: 1_000 + HOLD_MS }])).toEqual({ effects: ['start', 'finish'], state: IDLE });
    expect(run([{ type: 'press', at: 0 }, { type: 'release', at: 7_000 }]).effects).toEqual(['start', 'finish']);
  });

  it('sliding away and releasing cancels; sliding back first still sends', () => {
    expect(run([{ type: 'press', at: 0 }, { type: 'away', away: true }, { type: 'release', at: 2_000 }]).effects).toEqual(['start', 'cancel']);
    expect(
      run([{ type: 'press', at: 0 }, { type: 'away', away: true }, { type: 'away', away: false }, { type: 'release', at: 2_000 }]).effects,
    ).toEqual(['start', 'finish']);
    // Slid away within the first 300 ms: not a click either.
    expect(run([{ type: 'press', at: 0 }, { type: 'away', away: true }, { type: 'release', at: 100 }])).toEqual({ effects: ['start', 'cancel'], state: IDLE });
  });

  it('Escape or the cancel button cancels while held or toggled, and means nothing when idle', () => {
    expect(run([{ type: 'press', at: 0 }, { type: 'escape' }, { type: 'release', at: 2_000 }])).toEqual({ effects: ['start', 'cancel'], state: IDLE });
    expect(run([{ type: 'activate' }, { type: 'cancel' }])).toEqual({ effects: ['start', 'cancel'], state: IDLE });
    expect(run([{ type: 'escape' }, { type: 'cancel' }, { type: 'release', at: 1 }, { type: 'away', away: true }])).toEqual({ effects: [], state: IDLE });
  });

  it('the keyboard toggles: Enter or Space starts, again sends', () => {
    expect(run([{ type: 'activate' }, { type: 'activate' }])).toEqual({ effects: ['start', 'finish'], state: IDLE });
  });

  it('a recording that ended by itself (microphone refused) leaves the button idle without another effect', () => {
    expect(run([{ type: 'press', at: 0 }, { type: 'ended' }, { type: 'release', at: 2_000 }])).toEqual({ effects: ['start'], state: IDLE });
  });

  it('says "release to send" only once held for 300 ms', () => {
    const { state } = run([{ type: 'press', at: 100 }]);
    expect(isHolding(state, 100 + HOLD_MS - 1)).toBe(false);
    expect(isHolding(state, 100 + HOLD_MS)).toBe(true);
    expect(isHolding({ phase: 'toggled' }, 10_000)).toBe(false);
  });
});
