import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import {
  applyAround,
  applyIncoming,
  applyLatest,
  applyOlder,
  dropMessage,
  HARD_MAX_HELD,
  type Held,
  MAX_HELD,
  settle,
} from './history-window.js';

/** Message n of one conversation; ordered by n. */
function msg(n: number): ChatMessage {
  return {
    id: `m${n}`,
    conversationId: 'bob',
    sender: 'bob',
    outgoing: false,
    text: `message ${n}`,
    sentAt: n,
    serverTime: n,
    state: 'delivered',
    kind: 'text',
    event: null,
  };
}

/** Messages from..to-1, as core returns them: oldest first. */
function range(from: number, to: number): ChatMessage[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => msg(from + i));
}

const ids = (held: Held) => held.messages.map((m) => Number(m.id.slice(1)));
const nothing: Held = { messages: [], window: undefined };

describe('the held run of a conversation', () => {
  it('opened around a found message, pages both ways: back to the start, forward until the latest page overlaps', () => {
    const around = applyAround(range(300, 400));
    expect(around.window).toMatchObject({ hasOlder: true, hasNewer: true });
    const older = applyOlder(around, 'm300', range(250, 300), 200, false);
    expect(older.window?.hasOlder).toBe(false);
    // The latest page does not reach back to the run, and the reader is in it: they keep their place.
    const away = applyLatest(older, range(800, 1000), 200, true);
    expect(away.held.messages).toBe(older.messages);
    expect(away.held.window?.hasNewer).toBe(true);
    // It does reach back: one run, at the latest.
    const caughtUp = applyLatest(older, range(390, 500), 200, true).held;
    expect(ids(caughtUp)).toEqual(range(250, 500).map((_, i) => 250 + i));
    expect(caughtUp.window?.hasNewer).toBe(false);
    expect(applyAround([]).window).toMatchObject({ hasOlder: false, hasNewer: false });
  });

  it('knows the start was reached from a short page, and pages back to it', () => {
    const { held } = applyLatest(nothing, range(250, 450), 200, false);
    expect(ids(held)).toEqual(range(250, 450).map((_, i) => 250 + i));
    expect(held.window?.hasOlder).toBe(true);

    const more = applyOlder(held, 'm250', range(50, 250), 200, false);
    expect(more.messages).toHaveLength(400);
    expect(more.window?.hasOlder).toBe(true);

    const start = applyOlder(more, 'm50', range(0, 50), 200, false);
    expect(ids(start)[0]).toBe(0);
    expect(start.window?.hasOlder).toBe(false);

    const short = applyLatest(nothing, range(0, 3), 200, false).held;
    expect(short.window?.hasOlder).toBe(false);
  });

  it('ignores a page of older messages when the run no longer starts where it was asked', () => {
    const { held } = applyLatest(nothing, range(250, 450), 200, false);
    expect(applyOlder(held, 'm300', range(100, 300), 200, false)).toBe(held);
  });

  it('lets go of the oldest when new messages arrive beyond the bound at the bottom', () => {
    let held: Held = { messages: range(0, MAX_HELD), window: { ...applyLatest(nothing, range(0, 10), 200, false).held.window!, hasOlder: false } };
    held = applyIncoming(held, [msg(MAX_HELD), msg(MAX_HELD + 1)], true);
    expect(held.messages).toHaveLength(MAX_HELD);
    expect(ids(held)[0]).toBe(2);
    expect(ids(held).at(-1)).toBe(MAX_HELD + 1);
    expect(held.window?.hasOlder).toBe(true);
  });

  it('keeps what the reader may be looking at while they are scrolled up, and settles when they are back', () => {
    let held = applyLatest(nothing, range(800, 1000), 200, false).held;
    held = { ...held, messages: range(0, MAX_HELD) };
    held = applyIncoming(held, range(MAX_HELD, MAX_HELD + 50), false);
    expect(held.messages).toHaveLength(MAX_HELD + 50);
    expect(ids(held)[0]).toBe(0);
    held = settle(held);
    expect(held.messages).toHaveLength(MAX_HELD);
    expect(ids(held).at(-1)).toBe(MAX_HELD + 49);

    // Never beyond the hard bound: the newest are let go instead, and marked as missing.
    const flooded = applyIncoming(held, range(MAX_HELD + 50, 3 * MAX_HELD), false);
    expect(flooded.messages).toHaveLength(HARD_MAX_HELD);
    expect(flooded.window?.hasNewer).toBe(true);
  });

  it('pages back beyond the bound by letting go of the newest, and catches up when the latest overlaps', () => {
    // 1,400 messages; the reader pages back from the latest 200 to the very start.
    let held = applyLatest(nothing, range(1200, 1400), 200, false).held;
    for (let before = 1200; before > 0; before -= 200) {
      held = applyOlder(held, `m${before}`, range(before - 200, before), 200, false);
    }
    expect(held.messages).toHaveLength(MAX_HELD);
    expect(ids(held)[0]).toBe(0);
    expect(ids(held).at(-1)).toBe(MAX_HELD - 1);
    expect(held.window).toMatchObject({ hasOlder: true, hasNewer: true });

    // New messages while cut: only updates to what is held get in.
    const updated = { ...msg(5), text: 'edited?' };
    const cut = applyIncoming(held, [msg(1400), updated], false);
    expect(cut.messages).toHaveLength(MAX_HELD);
    expect(cut.messages[5]?.text).toBe('edited?');

    // The latest page does not reach the run: a reader scrolled up keeps their place...
    const away = applyLatest(cut, range(1000, 1401).slice(-200), 200, true);
    expect(away.replaced).toBe(false);
    expect(away.held.messages).toBe(cut.messages);
    // ...catching up with a bigger page that overlaps merges, letting go of the oldest.
    const caught = applyLatest(cut, range(901, 1401), 500, false);
    expect(caught.replaced).toBe(false);
    expect(caught.held.window?.hasNewer).toBe(false);
    expect(caught.held.messages).toHaveLength(MAX_HELD);
    expect(ids(caught.held).at(-1)).toBe(1400);
    expect(ids(caught.held)[0]).toBe(401);
  });

  it('replaces a run the latest page does not reach when nobody reads it', () => {
    const held: Held = { messages: range(0, 10), window: applyLatest(nothing, range(0, 10), 200, false).held.window };
    const { held: next, replaced } = applyLatest(held, range(500, 700), 200, false);
    expect(replaced).toBe(true);
    expect(ids(next)[0]).toBe(500);
    expect(next.window?.hasOlder).toBe(true);
  });

  it('merges events that came before the first load without losing them', () => {
    const early = applyIncoming(nothing, [msg(450)], true);
    expect(early.window).toBeUndefined();
    const { held } = applyLatest(early, range(251, 451), 200, false);
    expect(held.messages).toHaveLength(200);
    expect(held.window?.hasOlder).toBe(true);
  });

  it('lets go of a removed message and keeps what it knows about the rest', () => {
    const { held } = applyLatest(nothing, range(250, 450), 200, false);
    const next = dropMessage(held, 'm300');
    expect(next.messages).toHaveLength(199);
    expect(ids(next)).not.toContain(300);
    expect(next.window).toBe(held.window);
    expect(dropMessage(next, 'm300')).toBe(next);
    expect(dropMessage(nothing, 'm1')).toBe(nothing);
  });
});
