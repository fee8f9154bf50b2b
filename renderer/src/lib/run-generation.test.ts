import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { chatMessage } from './chat-message.fixture.js';
import { nextRun } from './run-generation.js';

/** Messages m<from>…m<to - 1>, oldest first. */
const run = (from: number, to: number): ChatMessage[] => Array.from({ length: to - from }, (_, i) => chatMessage(`m${from + i}`, from + i));

describe('whether the held run is still the list on screen', () => {
  it('stays one list as pages come above and go from either end', () => {
    const latest = nextRun(null, run(800, 1000));
    const older = nextRun(latest, run(600, 1000));
    expect(older.generation).toBe(latest.generation);
    // New ones at the end, old ones let go of at the start (reading the newest).
    const trimmed = nextRun(older, run(650, 1010));
    expect(trimmed.generation).toBe(latest.generation);
    // Newest let go of (paging back in time).
    expect(nextRun(trimmed, run(650, 900)).generation).toBe(latest.generation);
  });

  it('starts over when the run is replaced by one with nothing in common, or emptied', () => {
    const latest = nextRun(null, run(800, 1000));
    const around = nextRun(latest, run(100, 300));
    expect(around.generation).toBe(latest.generation + 1);
    const emptied = nextRun(around, []);
    expect(emptied.generation).toBe(around.generation + 1);
    expect(nextRun(emptied, run(0, 5)).generation).toBe(emptied.generation + 1);
  });

  it('is the same run for the same messages', () => {
    const messages = run(0, 10);
    const placed = nextRun(null, messages);
    expect(nextRun(placed, messages)).toBe(placed);
  });
});
