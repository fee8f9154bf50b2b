import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { FIRST_NUMBER, place } from './run-placement.js';

const base: ChatMessage = {
  id: '',
  conversationId: 'bob',
  sender: 'bob',
  outgoing: false,
  text: '',
  sentAt: 0,
  serverTime: 0,
  state: 'delivered',
  kind: 'text',
  event: null,
};

/** Messages m<from>…m<to - 1>, oldest first. */
const run = (from: number, to: number): ChatMessage[] => Array.from({ length: to - from }, (_, i) => ({ ...base, id: `m${from + i}`, sentAt: from + i }));

describe('the numbers the virtualized list gives the held run', () => {
  it('keeps each message its number as pages come above and go from either end', () => {
    const latest = place(null, run(800, 1000));
    expect(latest.first).toBe(FIRST_NUMBER);
    // A page of older messages: the first number goes down by as many, so m800 keeps its number.
    const older = place(latest, run(600, 1000));
    expect(older.first).toBe(FIRST_NUMBER - 200);
    expect(older.generation).toBe(latest.generation);
    // New ones at the end, old ones let go of at the start (reading the newest): m650 keeps its number.
    const trimmed = place(older, run(650, 1010));
    expect(trimmed.first).toBe(FIRST_NUMBER - 150);
    // Newest let go of (paging back in time): the start stays.
    expect(place(trimmed, run(650, 900)).first).toBe(FIRST_NUMBER - 150);
  });

  it('starts over when the run is replaced by one with nothing in common, or emptied', () => {
    const latest = place(null, run(800, 1000));
    const around = place(latest, run(100, 300));
    expect(around.generation).toBe(latest.generation + 1);
    expect(around.first).toBe(FIRST_NUMBER);
    const emptied = place(around, []);
    expect(emptied.generation).toBe(around.generation + 1);
    expect(place(emptied, run(0, 5)).generation).toBe(emptied.generation + 1);
  });

  it('is the same placement for the same messages', () => {
    const messages = run(0, 10);
    const placed = place(null, messages);
    expect(place(placed, messages)).toBe(placed);
  });
});
